/*
 * Could another user change what a path names?  Anyone who can write a
 * directory, or one above it, can put a file there or swap one for a
 * link (OpenSSH's StrictModes: safe_path()).
 */
#ifndef QL_SAFEDIR_H
#define QL_SAFEDIR_H

#include <stddef.h>

enum sd_verdict {
	SD_SAFE = 0,
	SD_OWNER,           /* a directory belongs to another user */
	SD_GROUP_WRITABLE,  /* a directory its group may write (not sticky) */
	SD_OTHERS_WRITABLE, /* a directory others may write (not sticky) */
	SD_ENTRY_OWNER,     /* a link or file of another user in a sticky
			     * directory others may write */
	SD_FILE_OWNER,      /* the file belongs to another user */
	SD_FILE_WRITABLE,   /* the file's group or others may write it */
	SD_NOT_REGULAR,     /* the file is not a regular file */
};

/* Where sd_open_file found a fault. */
struct sd_fault {
	char *where;        /* the directory, link or file, as reached (free it) */
	unsigned uid;       /* its owner */
	unsigned mode;      /* its mode */
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

/*
 * Open path to read a file that only root and the effective user could
 * have put there or changed, walking it one name at a time without
 * letting the kernel follow anything: every directory passed (from /, so
 * the current directory's ancestors too for a relative path) must pass
 * sd_check_tree's rule; a symbolic link is followed only if its directory
 * is one that only trusted owners write, or it is root's or the user's
 * own; in a sticky directory others may write, the file too must be root's
 * or the user's.  The file must be a regular file of root or the user
 * that neither group nor others may write.  Returns 0 with the fd in
 * *fd (O_RDONLY, close-on-exec) and *via_link set if the file's own name
 * was a symbolic link; or an enum sd_verdict > 0 with *f filled; or -errno
 * (f->where names what could not be reached; free it in every case).
 */
int sd_open_file(const char *path, int *fd, int *via_link, struct sd_fault *f);

/* The directory part of path ("." for a bare name, "/" for one in /) into
 * buf (len bytes).  0 or -ENAMETOOLONG. */
int sd_dir_of(const char *path, char *buf, size_t len);

#endif
