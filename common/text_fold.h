/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Base letters of the precomposed Latin letters, for folding context words:
 * entry i of each table is the lower-case ASCII letter under the code point
 * (first + i) after canonical decomposition, or '.' for none. Generated once
 * from Unicode's decompositions; covers Vietnamese (đ folds to d).
 */
#ifndef PIIGUARD_TEXT_FOLD_H
#define PIIGUARD_TEXT_FOLD_H

#define TEXT_FOLD_LATIN1_FIRST 0xC0
#define TEXT_FOLD_LATIN1_LAST  0x24F
static const char text_fold_latin1[] = "aaaaaa.ceeeeiiii.nooooo..uuuuy..aaaaaa.ceeeeiiii.nooooo..uuuuy.y"
                                       "aaaaaaccccccccddddeeeeeeeeeegggggggghh..iiiiiiiii...jjkk.llllll."
                                       "...nnnnnn...oooooo..rrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzz."
                                       "................................oo.............uu..............."
                                       ".............aaiioouuuuuuuuuu.aaaa....ggkkoooo..j...gg..nnaa...."
                                       "aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeooooooooyy............"
                                       "................";

#define TEXT_FOLD_EXTENDED_FIRST 0x1E00
#define TEXT_FOLD_EXTENDED_LAST  0x1EFF
static const char text_fold_extended[] = "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmm"
                                         "mmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvv"
                                         "wwwwwwwwwwxxxxyyzzzzzzhtwy......aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee"
                                         "eeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......";

#endif
