/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every hard limit of piiguard, with the reason for its value. A file that
 * reaches one ends with a recorded outcome; nothing here may be raised at run
 * time beyond what the reason allows.
 */
#ifndef PIIGUARD_LIMITS_H
#define PIIGUARD_LIMITS_H

/* Text is scanned in chunks of this many decoded bytes: large enough that
 * per-chunk work is amortised, small enough that memory stays flat (a scanner
 * holds about eight times this). */
#define LIMIT_SCAN_CHUNK (1u << 20)

/* Bytes kept from the end of one chunk for the next: the longest match (an
 * e-mail address, 320 bytes) plus the context after it must fit, so that an
 * identifier across a chunk boundary is decided with all its bytes. */
#define LIMIT_SCAN_MARGIN 1024u

/* Context kept before the decided region: the context window before a match
 * (two lines, at most 96 bytes) and room for the start of its line. */
#define LIMIT_SCAN_CONTEXT 4096u

/* The longest match a rule may give (an e-mail address is at most 318
 * bytes); a longer one, which only a faulty local rule can produce, is
 * dropped, so the context buffers around a match stay bounded. */
#define LIMIT_MATCH_BYTES 512u

/* Context window around a match, in bytes of normalised UTF-8 (about 64
 * characters before and 32 after in Vietnamese text). */
#define LIMIT_CONTEXT_BEFORE 96u
#define LIMIT_CONTEXT_AFTER  48u

/* A CSV header row longer than this is not used as column context; a row with
 * more columns than this gives no header context past the last one. */
#define LIMIT_HEADER_BYTES   4096u
#define LIMIT_HEADER_COLUMNS 256u
/* The first lines with delimiters that may be header rows (title rows and
 * two-row headers come before the data). */
#define LIMIT_HEADER_ROWS 8u

/* Overlapping candidates settled together (the same digits can pass several
 * rules); a longer chain of overlaps, which only crafted text has, is settled
 * in parts. */
#define LIMIT_WINDOW_CANDIDATES 64u

/* PCRE2 limits per match: rule patterns are short and anchored on digit runs,
 * so a match needing more steps than this is a pathological pattern or input. */
#define LIMIT_PCRE2_MATCH     100000u
#define LIMIT_PCRE2_DEPTH     1000u
#define LIMIT_PCRE2_JIT_STACK (256u * 1024u)

/* Rule files: a line longer than this is an error (inih's own line buffer in
 * Debian's build is 200 bytes; long patterns continue on indented lines). */
#define LIMIT_RULE_LINE    199u
#define LIMIT_RULE_FILE    (1u << 20)
#define LIMIT_RULES        128u
#define LIMIT_RULE_WORDS   256u
#define LIMIT_RULE_PATTERN 4096u
#define LIMIT_RULE_FILES   64u

/* A configuration is a few hundred bytes; anything much larger is not one. */
#define LIMIT_CONFIG_FILE (64u * 1024u)

/* Debian's inih reads lines into a 200-byte buffer: a longer line would be
 * cut and its rest read as a line of its own, so it is an error. */
#define LIMIT_CONFIG_LINE 199u

/* Drop-ins read from conf.d: more than this is a mistake, not a setup. */
#define LIMIT_CONFIG_DROPINS 64u

/* Containers and documents (archives, Office, PDF), as ClamAV scales them
 * (MaxFileSize, MaxScanSize, MaxRecursion, MaxFiles): a file larger than
 * LIMIT_CONTAINER_BYTES is not read into memory; one member larger than
 * LIMIT_MEMBER_BYTES is not expanded; all the bytes a file expands to stop at
 * LIMIT_EXPANDED_BYTES, or at LIMIT_EXPANSION_RATIO times the file (a zip
 * bomb); containers nest LIMIT_NESTING deep at most and hold LIMIT_MEMBERS
 * members; a file gets LIMIT_FILE_SECONDS of work. Each ends the object with
 * a coverage.limit outcome, never a silent "clean". These are the defaults of
 * the configuration's [limits]; LIMIT_MEMBER_BYTES is fixed. */
#define LIMIT_CONTAINER_BYTES (100u << 20)
#define LIMIT_MEMBER_BYTES    (64u << 20)
#define LIMIT_EXPANDED_BYTES  (400u << 20)
#define LIMIT_EXPANSION_RATIO 200u
#define LIMIT_NESTING         17u
#define LIMIT_MEMBERS         10000u
#define LIMIT_FILE_SECONDS    60u

/* How far [limits] may raise them: a container is read whole into memory and
 * every worker may hold one, so 1 GiB on a kiosk with a few GiB is the most;
 * expanded bytes are matched, not kept, but cost time; deeper nesting than 64
 * or a million members is a bomb by any measure; an hour of one file stalls
 * every other file behind it. */
#define LIMIT_CONTAINER_BYTES_MAX (1ull << 30)
#define LIMIT_EXPANDED_BYTES_MAX  (16ull << 30)
#define LIMIT_EXPANSION_RATIO_MAX 10000u
#define LIMIT_NESTING_MAX         64u
#define LIMIT_MEMBERS_MAX         1000000u
#define LIMIT_FILE_SECONDS_MAX    3600u
/* A member name (nested names joined by '!') longer than this is cut. */
#define LIMIT_MEMBER_NAME 1024u

/* Bytes of a file head given to charset detection. */
#define LIMIT_DETECT_HEAD (64u * 1024u)

/* Directory depth of a scan: each level holds one descriptor, and a tree
 * deeper than this is hostile or broken. */
#define LIMIT_WALK_DEPTH 128u

/* Findings of one file kept for the store and the output: a file with more
 * is a bulk export, reported as such, and memory stays bounded. */
#define LIMIT_FILE_FINDINGS 10000u

/* Images (ID-card scans and photos): a 48-megapixel phone photo is decoded
 * from its JPEG at half or quarter size, so LIMIT_IMAGE_PIXELS (about 100 MiB
 * of RGBA while decoding) is what any decoded image may hold; a header that
 * claims more (a 30000x30000 PNG, a decompression bomb) is not decoded. A GIF
 * counts the pixels of all its frames. */
#define LIMIT_IMAGE_PIXELS (25u * 1000u * 1000u)
/* A side shorter than this is an icon or a spacer: nothing to read. */
#define LIMIT_IMAGE_MIN_SIDE 24u
/* OCR of a smaller image finds no card: a card photographed at under 200
 * pixels across has no legible text. */
#define LIMIT_OCR_MIN_SIDE 120u
/* Recognition time of one image (all OCR passes, MRZ included): a card takes
 * under 2 s on one kiosk core; more means a page of dense text or a crafted
 * image, whose rest is reported as a limit. */
#define LIMIT_OCR_MS 8000u
/* Text recognised in one image and kept for matching: a dense A4 page at
 * 300 dpi holds about 5 KB. */
#define LIMIT_OCR_TEXT (64u * 1024u)
/* Images whose results are kept by content hash, per scanning thread, so that
 * the same photo in Downloads and in a browser cache is read once. */
#define LIMIT_IMAGE_CACHE 64u

/* Scanning workers of `piiguard scan --jobs`. */
#define LIMIT_JOBS 64u

/* The wipe (agent/wipe.c): directories held open at once by its walk. A
 * subtree deeper than this is moved up to the top of the tree being deleted
 * and taken from there, so any depth is wiped with this many descriptors and
 * no recursion; a dry run counts no deeper than this. */
#define LIMIT_WIPE_OPEN_DIRS 256u

/* Entries one wipe looks at, over every pass: past this the tree is hostile
 * and the wipe stops with an error rather than run for ever. */
#define LIMIT_WIPE_ENTRIES 100000000ull

/* Kiosk accounts, staff accounts and kept paths in [wipe]. */
#define LIMIT_WIPE_USERS 16u
#define LIMIT_WIPE_STAFF 64u
#define LIMIT_WIPE_KEEP  32u

#endif
