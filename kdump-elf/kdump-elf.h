/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kdump-elf.h - build, parse and check ELF64 core headers (elfcorehdr,
 * /proc/vmcore, /proc/kcore) in caller-owned buffers.
 *
 * The library never allocates, never prints and keeps no state: every call
 * works on the buffer it is given.  A header being built always has room
 * for a fixed number of program header "slots"; slots not yet used are
 * all-zero (PT_NULL) and are called spare.  A full buffer gives -ENOSPC and
 * the caller decides what to do (bigger buffer, give up); nothing grows.
 *
 * Only ELFCLASS64 / ELFDATA2LSB / ET_CORE is produced or accepted.  Bytes are
 * read and written little-endian with byte accesses, so buffers need no
 * alignment and the code is right on any host.
 *
 * Layout of a header built here (and by the kernel's own elfcorehdr code):
 *
 *	offset 0	Elf64_Ehdr (64 bytes)
 *	offset 64	Elf64_Phdr slot 0, 1, ... (56 bytes each)
 *
 * Ordering convention.  Callers add program headers in exactly this order,
 * which is the order the kernel uses when it regenerates the header after a
 * memory or CPU hotplug event, so a kernel rewrite never changes the layout:
 *
 *	1. one PT_NOTE per possible CPU (its crash_notes buffer), by CPU number;
 *	2. one PT_NOTE for VMCOREINFO;
 *	3. one PT_LOAD for the kernel text (vaddr = _text's virtual address);
 *	4. one PT_LOAD per RAM range, in ascending physical address.
 *
 * The RAM loads are last so that kdump_elf_reset_loads() can drop and
 * rewrite just them in place when memory comes and goes.
 *
 * Return values.  Functions return >= 0 on success and a negative code on
 * failure.  Codes are either a negative errno (-EINVAL, -ENOSPC, -ERANGE,
 * -ENOENT) or a negative KDUMP_ELF_E* code, which describes exactly which
 * field of the input is malformed.  KDUMP_ELF_E* values are above 4095 so
 * they never collide with an errno; kdump_elf_strerror() describes both
 * kinds and kdump_elf_errno() folds a KDUMP_ELF_E* code into an errno for
 * callers that only pass errno values on.
 */
#ifndef KDUMP_ELF_H
#define KDUMP_ELF_H

#include <stddef.h>
#include <stdint.h>

#define KDUMP_ELF_EHDR_SIZE	64u	/* sizeof(Elf64_Ehdr) */
#define KDUMP_ELF_PHDR_SIZE	56u	/* sizeof(Elf64_Phdr) */
/* e_phnum must stay below PN_XNUM (0xffff); extended numbering is not used */
#define KDUMP_ELF_MAX_PHDRS	0xfffeu
/* size of an ELF note header: namesz, descsz, type */
#define KDUMP_ELF_NOTE_HDR_SIZE	12u
/* kcore marks segments with no physical address with p_paddr = ~0 */
#define KDUMP_ELF_NO_PADDR	UINT64_MAX

/* Library error codes, returned negated.  See kdump_elf_strerror(). */
enum kdump_elf_err {
	KDUMP_ELF_ERR_BASE = 4096,	/* above MAX_ERRNO: never an errno */
	/* The header is not an ELF64 little-endian core file at all */
	KDUMP_ELF_ETRUNC = KDUMP_ELF_ERR_BASE, /* shorter than an Elf64_Ehdr */
	KDUMP_ELF_EBADMAGIC,	/* e_ident[EI_MAG0..3] is not "\177ELF" */
	KDUMP_ELF_EBADCLASS,	/* e_ident[EI_CLASS] is not ELFCLASS64 */
	KDUMP_ELF_EBADDATA,	/* e_ident[EI_DATA] is not ELFDATA2LSB */
	KDUMP_ELF_EBADVERSION,	/* e_ident[EI_VERSION] or e_version != EV_CURRENT */
	KDUMP_ELF_EBADTYPE,	/* e_type is not ET_CORE */
	/* It is an ELF64 core, but its program header table is unusable */
	KDUMP_ELF_EBADEHSIZE,	/* e_ehsize is not 64 */
	KDUMP_ELF_EBADPHENTSIZE, /* e_phentsize is not 56 */
	KDUMP_ELF_EBADPHOFF,	/* e_phoff overlaps the Ehdr or overflows */
	KDUMP_ELF_EPNXNUM,	/* e_phnum is PN_XNUM (extended numbering) */
	KDUMP_ELF_EPHTRUNC,	/* the phdr table runs past the end of the buffer */
	/* Note data */
	KDUMP_ELF_ENOTETRUNC,	/* a note header runs past the end of the data */
	KDUMP_ELF_ENOTENAME,	/* a note's name (n_namesz) runs past the end */
	KDUMP_ELF_ENOTEDESC,	/* a note's descriptor (n_descsz) runs past the end */
	KDUMP_ELF_ERR_MAX
};

/* ------------------------------------------------------------------------ */
/* Building a header in a caller-owned buffer                               */
/* ------------------------------------------------------------------------ */

/**
 * kdump_elf_bytes - buffer size needed for a header with @nphdr slots
 * @nphdr:	number of program header slots
 *
 * returns:
 *	64 + 56 * @nphdr
 *	0, if @nphdr is above KDUMP_ELF_MAX_PHDRS (no such header exists)
 */
size_t kdump_elf_bytes(unsigned nphdr);

/**
 * kdump_elf_init - start an empty ELF64 core header in @buf
 * @buf:	the buffer; all @bufsz bytes are zeroed
 * @bufsz:	its size; it holds (bufsz - 64) / 56 phdr slots, at most
 *		KDUMP_ELF_MAX_PHDRS (a larger buffer is fine, the rest stays 0)
 * @machine:	e_machine, e.g. EM_X86_64 (62) or EM_AARCH64 (183)
 *
 * Writes ET_CORE, EV_CURRENT, ELFOSABI_NONE, e_phoff 64, e_phentsize 56,
 * e_ehsize 64, e_phnum 0, no section headers.
 *
 * returns:
 *	the capacity (number of phdr slots, >= 1), on success
 *	-EINVAL, if @buf is NULL or @machine is 0 (EM_NONE)
 *	-ENOSPC, if @bufsz is below 64 + 56 (not even one slot); @buf is
 *		 left untouched
 */
int kdump_elf_init(void *buf, size_t bufsz, uint16_t machine);

/**
 * kdump_elf_add_note - append a PT_NOTE for note data at physical @paddr
 * @buf, @bufsz:	a header made by kdump_elf_init() with the same @bufsz
 * @paddr:	physical address of the note buffer (p_offset = p_paddr)
 * @size:	its size (p_filesz = p_memsz)
 *
 * Fills the slot at e_phnum with p_vaddr 0, p_flags 0, p_align 0 - what the
 * kernel writes for crash_notes and VMCOREINFO - and increments e_phnum.
 *
 * returns:
 *	the index of the new phdr, on success
 *	-EINVAL, if @buf does not hold a header made by kdump_elf_init() (or
 *		 @bufsz is not the one it was made with and e_phnum no longer
 *		 fits), @size is 0, or [@paddr, @paddr + @size) wraps
 *	-ENOSPC, if every slot is used; nothing is changed
 */
int kdump_elf_add_note(void *buf, size_t bufsz, uint64_t paddr, uint64_t size);

/**
 * kdump_elf_add_load - append a PT_LOAD for memory at physical @paddr
 * @buf, @bufsz:	a header made by kdump_elf_init() with the same @bufsz
 * @paddr:	physical start (p_offset = p_paddr)
 * @vaddr:	kernel virtual address of @paddr (p_vaddr)
 * @size:	length (p_filesz = p_memsz)
 *
 * The segment gets p_flags PF_R|PF_W|PF_X and p_align 0, like the kernel's.
 *
 * returns:
 *	the index of the new phdr, on success
 *	-EINVAL, if @buf does not hold a header made by kdump_elf_init(),
 *		 @size is 0, or the physical or virtual range wraps
 *	-ENOSPC, if every slot is used; nothing is changed
 */
int kdump_elf_add_load(void *buf, size_t bufsz, uint64_t paddr, uint64_t vaddr,
		       uint64_t size);

/**
 * kdump_elf_reset_loads - drop every phdr from index @keep on
 * @buf, @bufsz:	a header made by kdump_elf_init()
 * @keep:	number of leading phdrs to keep (notes + kernel text: see the
 *		ordering convention above)
 *
 * Zeroes slots @keep .. capacity - 1 and sets e_phnum = @keep, so that the
 * RAM loads can be re-added in place (hotplug reload) and the header keeps
 * its size and address.
 *
 * returns:
 *	the number of spare slots afterwards, on success
 *	-EINVAL, if @buf does not hold a header made by kdump_elf_init()
 *	-ERANGE, if @keep is above e_phnum; nothing is changed
 */
int kdump_elf_reset_loads(void *buf, size_t bufsz, unsigned keep);

/**
 * kdump_elf_capacity - number of phdr slots in @buf
 * kdump_elf_spare - number of unused (spare) phdr slots in @buf
 * kdump_elf_phnum - number of used phdr slots (e_phnum) in @buf
 * @buf, @bufsz:	a header made by kdump_elf_init()
 *
 * The header's byte size is kdump_elf_bytes(kdump_elf_phnum(buf, bufsz)).
 *
 * returns:
 *	the count (>= 0), on success
 *	-EINVAL, if @buf does not hold a header made by kdump_elf_init()
 */
int kdump_elf_capacity(const void *buf, size_t bufsz);
int kdump_elf_spare(const void *buf, size_t bufsz);
int kdump_elf_phnum(const void *buf, size_t bufsz);

/* ------------------------------------------------------------------------ */
/* Reading any ELF64 core header (built here, by the kernel, vmcore, kcore) */
/* ------------------------------------------------------------------------ */

struct kdump_elf_view {
	uint16_t machine;	/* e_machine */
	uint64_t phoff;		/* e_phoff */
	unsigned phnum;		/* e_phnum */
	unsigned capacity;	/* slots that fit in len after e_phoff (<= 0xfffe) */
	unsigned spare;		/* consecutive all-zero slots from e_phnum on */
	unsigned notes;		/* PT_NOTE count */
	unsigned loads;		/* PT_LOAD count */
	unsigned others;	/* phdrs of any other type, PT_NULL included */
};

struct kdump_elf_phdr {
	uint32_t type;		/* p_type: PT_LOAD 1, PT_NOTE 4, ... */
	uint32_t flags;		/* p_flags */
	uint64_t offset;	/* p_offset */
	uint64_t vaddr;		/* p_vaddr */
	uint64_t paddr;		/* p_paddr */
	uint64_t filesz;	/* p_filesz */
	uint64_t memsz;		/* p_memsz */
	uint64_t align;		/* p_align */
};

/**
 * kdump_elf_probe - check an Elf64_Ehdr and say how much must be read
 * @buf:	at least the first 64 bytes of the file
 * @len:	bytes available at @buf
 * @ret_need:	set on success to e_phoff + e_phnum * 56: the bytes that
 *		kdump_elf_parse() needs (for reading large files in steps)
 *
 * returns:
 *	0, on success
 *	-EINVAL, if @buf or @ret_need is NULL
 *	-KDUMP_ELF_ETRUNC, if @len is below 64
 *	-KDUMP_ELF_EBADMAGIC, -KDUMP_ELF_EBADCLASS, -KDUMP_ELF_EBADDATA,
 *	-KDUMP_ELF_EBADVERSION, -KDUMP_ELF_EBADTYPE: not an ELF64 LSB core
 *	-KDUMP_ELF_EBADEHSIZE, -KDUMP_ELF_EBADPHENTSIZE, -KDUMP_ELF_EBADPHOFF,
 *	-KDUMP_ELF_EPNXNUM: the named Ehdr field is unusable
 */
int kdump_elf_probe(const void *buf, size_t len, size_t *ret_need);

/**
 * kdump_elf_parse - validate an ELF64 core header and summarise it
 * @buf:	the Ehdr and the program header table (more may follow)
 * @len:	bytes available at @buf; capacity and spare are counted within
 * @v:		filled on success only
 *
 * returns:
 *	0, on success
 *	-EINVAL, if @buf or @v is NULL
 *	any error of kdump_elf_probe()
 *	-KDUMP_ELF_EPHTRUNC, if the phdr table does not fit in @len
 */
int kdump_elf_parse(const void *buf, size_t len, struct kdump_elf_view *v);

/**
 * kdump_elf_phdr - read program header @i
 * @buf, @len:	as for kdump_elf_parse()
 * @i:		index, below e_phnum
 * @out:	filled on success only
 *
 * returns:
 *	0, on success
 *	-EINVAL, if @out is NULL
 *	any error of kdump_elf_parse()
 *	-ERANGE, if @i >= e_phnum
 */
int kdump_elf_phdr(const void *buf, size_t len, unsigned i, struct kdump_elf_phdr *out);

/**
 * kdump_elf_text_load - find the kernel-text PT_LOAD
 * @buf, @len:	as for kdump_elf_parse()
 *
 * The kernel-text load is the first PT_LOAD when its physical range lies
 * entirely inside another PT_LOAD (it duplicates part of a RAM load under
 * the kernel's text mapping).  kdump_elf_check() exempts it from the
 * overlap and order rules; a hotplug rewrite keeps it (keep = index + 1).
 *
 * returns:
 *	its phdr index, on success
 *	-ENOENT, if there is no such load
 *	any error of kdump_elf_parse()
 */
int kdump_elf_text_load(const void *buf, size_t len);

/* ------------------------------------------------------------------------ */
/* Checking a header against the rules the kernel's own header follows     */
/* ------------------------------------------------------------------------ */

enum kdump_elf_problem_code {
	KDUMP_ELF_P_HOLE = 1,	 /* all-zero slot inside e_phnum before a used one */
	KDUMP_ELF_P_TYPE,	 /* p_type is neither PT_LOAD, PT_NOTE nor PT_NULL */
	KDUMP_ELF_P_ZERO_SIZE,	 /* PT_LOAD with p_filesz = p_memsz = 0, PT_NOTE with p_filesz 0 */
	KDUMP_ELF_P_FILESZ,	 /* PT_LOAD with p_filesz > p_memsz */
	KDUMP_ELF_P_WRAP,	 /* p_paddr + p_memsz (PT_NOTE: p_filesz) wraps past 2^64 */
	KDUMP_ELF_P_NOTE_AFTER_LOAD, /* PT_NOTE after the first PT_LOAD */
	KDUMP_ELF_P_ORDER,	 /* RAM PT_LOAD p_paddr below the previous one's */
	KDUMP_ELF_P_OVERLAP,	 /* PT_LOAD p_paddr ranges overlap */
	KDUMP_ELF_P_MAX
};

struct kdump_elf_problem {
	int code;		/* enum kdump_elf_problem_code */
	unsigned index;		/* the offending phdr */
	unsigned other;		/* the phdr it conflicts with, else = index */
};

/**
 * kdump_elf_check - list what is wrong with an ELF64 core header
 * @buf, @len:	as for kdump_elf_parse()
 * @out:	array for the first @max problems (may be NULL if @max is 0)
 * @max:	its length
 *
 * Rules, per phdr inside e_phnum:
 *	- no all-zero slot before a used one (P_HOLE);
 *	- only PT_LOAD, PT_NOTE or PT_NULL (P_TYPE);
 *	- no empty segment (P_ZERO_SIZE);
 *	- a load's p_filesz <= p_memsz (P_FILESZ); a note's p_memsz is not
 *	  looked at, since coredumps and kcore leave it 0;
 *	- no range wrapping past 2^64 (P_WRAP);
 *	- no note after the first load (P_NOTE_AFTER_LOAD).
 * Then over the RAM loads - every PT_LOAD except the kernel-text one
 * (kdump_elf_text_load()) and those with p_paddr KDUMP_ELF_NO_PADDR - in
 * index order: ascending p_paddr (P_ORDER) and no overlapping
 * [p_paddr, p_paddr + p_memsz) (P_OVERLAP).  Overlaps are all found when
 * the RAM loads ascend; when they do not, P_ORDER is reported and overlaps
 * with the previous load and with the one reaching highest are still
 * found.  The run time is linear in e_phnum.
 *
 * returns:
 *	the number of problems found (0 = clean; may exceed @max), on success
 *	-EINVAL, if @out is NULL and @max is not 0
 *	any error of kdump_elf_parse()
 */
int kdump_elf_check(const void *buf, size_t len, struct kdump_elf_problem *out, size_t max);

/**
 * kdump_elf_problem_str - one-line description of a problem code
 * @code:	enum kdump_elf_problem_code
 *
 * returns:
 *	a static string; "unknown problem" for an unknown @code
 */
const char *kdump_elf_problem_str(int code);

/* ------------------------------------------------------------------------ */
/* ELF notes and VMCOREINFO                                                 */
/* ------------------------------------------------------------------------ */

#define KDUMP_ELF_NT_PRSTATUS	1u	/* NT_PRSTATUS: a CPU's registers */
#define KDUMP_ELF_VMCOREINFO	"VMCOREINFO"

struct kdump_elf_note {
	uint32_t namesz;	/* n_namesz as stored (normally includes the NUL) */
	uint32_t descsz;	/* n_descsz */
	uint32_t type;		/* n_type */
	const char *name;	/* namesz bytes inside the data (not terminated
				 * unless the producer included the NUL) */
	const void *desc;	/* descsz bytes inside the data */
	size_t offset;		/* offset of this note's header in the data */
};

/**
 * kdump_elf_note_next - read the note at *@off and step past it
 * @notes:	note data (the contents of a PT_NOTE segment)
 * @len:	its length
 * @off:	in: where to read (start with 0); out: the next note's offset
 *		(name and descriptor padded to 4 bytes; the padding after
 *		the last descriptor may be missing)
 * @out:	filled when a note is returned
 *
 * The data ends at @len, at an all-zero note header (the terminator the
 * kernel writes after the last note of a buffer), or at fewer than 12
 * trailing bytes that are all zero.
 *
 * returns:
 *	1, if a note was read and *@off advanced
 *	0, at the end of the data (*@off unchanged)
 *	-EINVAL, if @notes (with @len > 0), @off or @out is NULL, or *@off > @len
 *	-KDUMP_ELF_ENOTETRUNC, if a non-zero note header is cut off
 *	-KDUMP_ELF_ENOTENAME, if the name runs past @len
 *	-KDUMP_ELF_ENOTEDESC, if the descriptor runs past @len
 */
int kdump_elf_note_next(const void *notes, size_t len, size_t *off, struct kdump_elf_note *out);

/**
 * kdump_elf_note_is - does @n carry the name @name?
 * @n:		a note from kdump_elf_note_next()
 * @name:	NUL-terminated name, e.g. "CORE", "VMCOREINFO"
 *
 * Matches n_namesz = strlen(@name) + 1 with a NUL last (the ELF rule), and
 * also n_namesz = strlen(@name) from producers that leave the NUL out.
 *
 * returns:
 *	1, if it does
 *	0, if it does not or an argument is NULL
 */
int kdump_elf_note_is(const struct kdump_elf_note *n, const char *name);

/**
 * kdump_elf_note_find - find the next note named @name
 * @notes, @len, @off:	as for kdump_elf_note_next(); on success *@off is
 *		past the note found, so calling again finds the next one
 * @name:	the note name
 * @out:	filled on success
 *
 * returns:
 *	0, on success
 *	-ENOENT, if no further note has that name
 *	-EINVAL, if @name or @out is NULL
 *	any error of kdump_elf_note_next()
 */
int kdump_elf_note_find(const void *notes, size_t len, size_t *off, const char *name,
			struct kdump_elf_note *out);

/**
 * kdump_elf_vmcoreinfo_find - find the VMCOREINFO text in note data
 * @notes, @len:	note data
 * @ret_text:	set to the note's descriptor
 * @ret_len:	set to its length up to the first NUL (the kernel pads it)
 *
 * returns:
 *	0, on success
 *	-EINVAL, if @ret_text or @ret_len is NULL
 *	-ENOENT, if there is no note named VMCOREINFO
 *	any error of kdump_elf_note_next()
 */
int kdump_elf_vmcoreinfo_find(const void *notes, size_t len, const char **ret_text,
			      size_t *ret_len);

/**
 * kdump_elf_vmcoreinfo_get - read the value of "KEY=value" in VMCOREINFO text
 * @text:	the text: lines ended by '\n' (the last one need not be);
 *		it ends at @len or at the first NUL
 * @len:	its length
 * @key:	e.g. "OSRELEASE", "NUMBER(phys_base)", "SYMBOL(_stext)"; it
 *		must be non-empty and hold no '=' or '\n'
 * @val:	buffer for the value, NUL-terminated (may be NULL if @vallen is
 *		0, to ask for the length)
 * @vallen:	its size
 *
 * A line matches when it starts with @key immediately followed by '=', so
 * "KERNELOFFSET" never matches "KERNELOFFSET2=...".  The first match wins.
 *
 * returns:
 *	the value's length (without NUL), on success
 *	-EINVAL, if @text (with @len > 0) or @key is NULL, @key is not a valid
 *		 key, or @val is NULL with @vallen > 0
 *	-ENOENT, if no line has that key
 *	-ENOSPC, if the value and its NUL do not fit in @vallen; @val gets ""
 *		 (when @vallen > 0)
 */
int kdump_elf_vmcoreinfo_get(const char *text, size_t len, const char *key, char *val,
			     size_t vallen);

/**
 * kdump_elf_vmcoreinfo_u64 - read a numeric VMCOREINFO value
 * @text, @len, @key:	as for kdump_elf_vmcoreinfo_get()
 * @base:	16 for values the kernel prints in hex without a prefix
 *		(KERNELOFFSET, SYMBOL(...)); 0 to read "0x..." as hex and
 *		anything else as decimal (NUMBER(...), PAGESIZE, OFFSET(...));
 *		10 for decimal only
 * @ret:	set to the value on success; a leading '-' (NUMBER() values are
 *		printed signed) gives the two's complement
 *
 * returns:
 *	0, on success
 *	-EINVAL, if @ret is NULL, @base is not 0, 10 or 16, or any argument
 *		 error of kdump_elf_vmcoreinfo_get()
 *	-ENOENT, if no line has that key
 *	-ERANGE, if the value is empty, has stray characters or does not fit
 *		 in 64 bits
 */
int kdump_elf_vmcoreinfo_u64(const char *text, size_t len, const char *key, int base,
			     uint64_t *ret);

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * kdump_elf_strerror - describe a return code of this library
 * @err:	a negative KDUMP_ELF_E* code or a negative errno this library
 *		returns (a positive value is treated like its negation)
 *
 * returns:
 *	a static string; for KDUMP_ELF_E* codes it names the ELF field at
 *	fault; "unknown error" for anything else
 */
const char *kdump_elf_strerror(int err);

/**
 * kdump_elf_errno - fold a return code into a plain negative errno
 * @err:	a return code of this library
 *
 * returns:
 *	-ENOEXEC, for the "not an ELF64 LSB core" codes
 *		  (KDUMP_ELF_ETRUNC .. KDUMP_ELF_EBADTYPE)
 *	-EINVAL, for a malformed Ehdr or phdr table
 *	-EBADMSG, for malformed notes
 *	@err itself otherwise (>= 0, or already an errno)
 */
int kdump_elf_errno(int err);

#endif
