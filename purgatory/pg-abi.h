/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pg-abi.h - how hosted code includes the purgatory symbol contract.
 *
 * kexec/purgatory.h (the loader's API) and purgatory/purgatory.h (the symbol
 * contract) share a base name, and -I$(top_srcdir)/kexec comes first on the
 * hosted include path.  A quoted include is looked up next to the including
 * file first, so this header always reaches purgatory/purgatory.h.
 */
#ifndef PG_ABI_H
#define PG_ABI_H

#include "purgatory.h"

#endif
