/*
 * Could another user change what a path names?  Anyone who can write a
 * directory, or one above it, can put a file there or swap one for a
 * link (OpenSSH's StrictModes: safe_path()).
 */
#ifndef QL_SAFEDIR_H
#define QL_SAFEDIR_H

enum sd_verdict {
	SD_SAFE = 0,
	SD_OWNER,           /* a directory belongs to another user */
	SD_GROUP_WRITABLE,  /* a directory its group may write (not sticky) */
	SD_OTHERS_WRITABLE, /* a directory others may write (not sticky) */
};

/*
 * Walk from dir (resolved with realpath) up to /: each directory must
 * belong to root or the effective user and be writable by its owner only,
 * unless it is sticky (then others cannot rename or remove what is not
 * theirs).  Returns an enum sd_verdict, with the directory at fault in
 * *bad (malloc'd: free it) and its owner in *uid; or -errno if dir cannot
 * be resolved or a directory not be read (*bad names it).
 */
int sd_check_tree(const char *dir, char **bad, unsigned *uid);

#endif
