/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-fdt-dma.c - kfdt_dma_limit() and kfdt_stdout_uart() on hand-built trees. */
#include "kfdt.h"
#include "test-fdt.h"

static uint8_t tree[T_FDT_SIZE];

/* BCM2711 (Raspberry Pi 4) shape: /soc's peripherals see only the first GiB; /scb reaches more */
static void rpi4_soc(void *t, int soc_status_disabled)
{
	FDT_OK(fdt_begin_node(t, "soc"));
	FDT_OK(fdt_property_string(t, "compatible", "simple-bus"));
	FDT_OK(fdt_property_u32(t, "#address-cells", 1));
	FDT_OK(fdt_property_u32(t, "#size-cells", 1));
	T_CELLS(t, "ranges", 0x7e000000, 0x0, 0xfe000000, 0x01800000);
	T_CELLS(t, "dma-ranges", 0xc0000000, 0x0, 0x00000000, 0x40000000);
	if (soc_status_disabled)
		FDT_OK(fdt_property_string(t, "status", "disabled"));
	FDT_OK(fdt_begin_node(t, "serial@7e201000"));
	FDT_OK(fdt_property(t, "compatible", "arm,pl011\0arm,primecell", sizeof("arm,pl011\0arm,primecell")));
	T_CELLS(t, "reg", 0x7e201000, 0x200);
	FDT_OK(fdt_end_node(t));
	FDT_OK(fdt_end_node(t));
}

static void rpi4_scb(void *t, uint32_t scb_size)
{
	FDT_OK(fdt_begin_node(t, "scb"));
	FDT_OK(fdt_property_string(t, "compatible", "simple-bus"));
	FDT_OK(fdt_property_u32(t, "#address-cells", 2));
	FDT_OK(fdt_property_u32(t, "#size-cells", 1));
	T_CELLS(t, "ranges", 0x0, 0x7c000000, 0x0, 0xfc000000, 0x03800000);
	T_CELLS(t, "dma-ranges", 0x0, 0x0, 0x0, 0x0, scb_size);
	FDT_OK(fdt_begin_node(t, "pcie@7d500000"));
	FDT_OK(fdt_property_string(t, "device_type", "pci"));
	FDT_OK(fdt_property_u32(t, "#address-cells", 3));
	FDT_OK(fdt_property_u32(t, "#size-cells", 2));
	/* PCI bus 0 -> scb bus 0, 3 GiB */
	T_CELLS(t, "dma-ranges", 0x02000000, 0x0, 0x0, 0x0, 0x0, 0x0, 0xc0000000);
	FDT_OK(fdt_end_node(t));
	FDT_OK(fdt_end_node(t));
}

static uint64_t limit_of(int expect)
{
	uint64_t lim = 0xdead;
	const char *why = NULL;
	int r = kfdt_dma_limit(tree, &lim, &why);

	if (r != expect)
		kt_fail(__FILE__, __LINE__, "kfdt_dma_limit: %d, want %d (%s)", r, expect, why ? why : "");
	return lim;
}

TEST(rpi4_soc_limits_to_1g)
{
	t_begin(tree, 0, 2, 1);
	rpi4_soc(tree, 0);
	rpi4_scb(tree, 0xfc000000);
	t_end(tree);
	ASSERT_EQ(limit_of(0), 0x40000000);
}

TEST(rpi4_scb_only)
{
	t_begin(tree, 0, 2, 1);
	rpi4_scb(tree, 0x40000000);
	t_end(tree);
	ASSERT_EQ(limit_of(0), 0x40000000);
}

TEST(disabled_node_is_ignored)
{
	t_begin(tree, 0, 2, 1);
	rpi4_soc(tree, 1);
	rpi4_scb(tree, 0xfc000000);
	t_end(tree);
	ASSERT_EQ(limit_of(0), 0xc0000000);	/* the PCIe window, 3 GiB */
}

TEST(nested_translation)
{
	t_begin(tree, 0, 2, 2);
	FDT_OK(fdt_begin_node(tree, "axi"));
	FDT_OK(fdt_property_u32(tree, "#address-cells", 1));
	FDT_OK(fdt_property_u32(tree, "#size-cells", 1));
	FDT_OK(fdt_property(tree, "ranges", NULL, 0));
	/* axi bus 0 is CPU 0x8_0000_0000, 2 GiB */
	T_CELLS(tree, "dma-ranges", 0x0, 0x8, 0x0, 0x80000000);
	FDT_OK(fdt_begin_node(tree, "bridge"));
	FDT_OK(fdt_property_u32(tree, "#address-cells", 1));
	FDT_OK(fdt_property_u32(tree, "#size-cells", 1));
	/* bridge bus 0 -> axi 0x10000000, 256 MiB -> CPU 0x8_1000_0000 .. 0x8_2000_0000 */
	T_CELLS(tree, "dma-ranges", 0x0, 0x10000000, 0x10000000);
	FDT_OK(fdt_end_node(tree));
	FDT_OK(fdt_end_node(tree));
	t_end(tree);
	ASSERT_EQ(limit_of(0), 0x820000000ull);
}

TEST(untranslatable_entry_is_skipped)
{
	t_begin(tree, 0, 1, 1);
	FDT_OK(fdt_begin_node(tree, "axi"));
	FDT_OK(fdt_property_u32(tree, "#address-cells", 1));
	FDT_OK(fdt_property_u32(tree, "#size-cells", 1));
	T_CELLS(tree, "dma-ranges", 0x0, 0x80000000, 0x40000000);
	FDT_OK(fdt_begin_node(tree, "dev"));
	FDT_OK(fdt_property_u32(tree, "#address-cells", 1));
	FDT_OK(fdt_property_u32(tree, "#size-cells", 1));
	/* axi address 0x50000000 is outside axi's window: the kernel drops this entry */
	T_CELLS(tree, "dma-ranges", 0x0, 0x50000000, 0x1000);
	FDT_OK(fdt_end_node(tree));
	FDT_OK(fdt_end_node(tree));
	t_end(tree);
	ASSERT_EQ(limit_of(0), 0xc0000000);
}

TEST(contiguous_entries_merge)
{
	t_begin(tree, 0, 2, 2);
	FDT_OK(fdt_begin_node(tree, "bus"));
	FDT_OK(fdt_property_u32(tree, "#address-cells", 2));
	FDT_OK(fdt_property_u32(tree, "#size-cells", 2));
	T_CELLS(tree, "dma-ranges", 0, 0x0, 0, 0x0, 0, 0x20000000,
		0, 0x20000000, 0, 0x20000000, 0, 0x20000000);
	FDT_OK(fdt_end_node(tree));
	t_end(tree);
	ASSERT_EQ(limit_of(0), 0x40000000);
}

TEST(no_dma_ranges_is_enoent)
{
	t_begin(tree, 0, 2, 2);
	FDT_OK(fdt_begin_node(tree, "bus"));
	FDT_OK(fdt_property_u32(tree, "#address-cells", 2));
	FDT_OK(fdt_property_u32(tree, "#size-cells", 2));
	FDT_OK(fdt_property(tree, "dma-ranges", NULL, 0));	/* empty: 1:1 */
	FDT_OK(fdt_end_node(tree));
	t_end(tree);
	limit_of(-ENOENT);

	t_begin(tree, 0, 2, 2);
	t_end(tree);
	limit_of(-ENOENT);
}

TEST(root_dma_ranges_is_ignored)
{
	t_begin(tree, 0, 2, 2);
	T_CELLS(tree, "dma-ranges", 0, 0x0, 0, 0x0, 0, 0x1000);
	t_end(tree);
	limit_of(-ENOENT);
}

TEST(malformed_dma_ranges_is_einval)
{
	uint64_t lim;
	const char *why = NULL;

	t_begin(tree, 0, 2, 2);
	FDT_OK(fdt_begin_node(tree, "bus@1000"));
	FDT_OK(fdt_property_u32(tree, "#address-cells", 1));
	FDT_OK(fdt_property_u32(tree, "#size-cells", 1));
	T_CELLS(tree, "dma-ranges", 0x0, 0x0, 0x0);	/* 3 cells, entries are 4 */
	FDT_OK(fdt_end_node(tree));
	t_end(tree);
	ASSERT_ERR(kfdt_dma_limit(tree, &lim, &why), -EINVAL);
	ASSERT_CONTAINS(why, "/bus@1000");
	ASSERT_CONTAINS(why, "dma-ranges");

	t_begin(tree, 0, 2, 2);
	FDT_OK(fdt_begin_node(tree, "bus"));
	FDT_OK(fdt_property_u32(tree, "#address-cells", 7));
	T_CELLS(tree, "dma-ranges", 0x0, 0x0, 0x0, 0x0);
	FDT_OK(fdt_end_node(tree));
	t_end(tree);
	ASSERT_ERR(kfdt_dma_limit(tree, &lim, &why), -EINVAL);
	ASSERT_CONTAINS(why, "#address-cells");
}

static uint64_t uart_of(int expect)
{
	uint64_t base = 0xdead;
	const char *why = NULL;
	int r = kfdt_stdout_uart(tree, &base, &why);

	if (r != expect)
		kt_fail(__FILE__, __LINE__, "kfdt_stdout_uart: %d, want %d (%s)", r, expect, why ? why : "");
	return base;
}

static void chosen_stdout(const char *prop, const char *path)
{
	FDT_OK(fdt_begin_node(tree, "chosen"));
	FDT_OK(fdt_property_string(tree, prop, path));
	FDT_OK(fdt_end_node(tree));
}

TEST(uart_alias_through_ranges)
{
	t_begin(tree, 0, 2, 1);
	FDT_OK(fdt_begin_node(tree, "aliases"));
	FDT_OK(fdt_property_string(tree, "serial0", "/soc/serial@7e201000"));
	FDT_OK(fdt_end_node(tree));
	chosen_stdout("stdout-path", "serial0:115200n8");
	rpi4_soc(tree, 0);
	t_end(tree);
	ASSERT_EQ(uart_of(0), 0xfe201000);
}

TEST(uart_direct_path)
{
	t_begin(tree, 0, 2, 2);
	chosen_stdout("stdout-path", "/pl011@9000000");
	FDT_OK(fdt_begin_node(tree, "pl011@9000000"));
	FDT_OK(fdt_property(tree, "compatible", "arm,pl011\0arm,primecell", sizeof("arm,pl011\0arm,primecell")));
	T_CELLS(tree, "reg", 0x0, 0x09000000, 0x0, 0x1000);
	FDT_OK(fdt_end_node(tree));
	t_end(tree);
	ASSERT_EQ(uart_of(0), 0x09000000);
}

TEST(uart_sbsa_and_linux_stdout_path)
{
	t_begin(tree, 0, 2, 2);
	chosen_stdout("linux,stdout-path", "/uart@2a400000:115200");
	FDT_OK(fdt_begin_node(tree, "uart@2a400000"));
	FDT_OK(fdt_property_string(tree, "compatible", "arm,sbsa-uart"));
	T_CELLS(tree, "reg", 0x0, 0x2a400000, 0x0, 0x1000);
	FDT_OK(fdt_end_node(tree));
	t_end(tree);
	ASSERT_EQ(uart_of(0), 0x2a400000);
}

TEST(uart_not_found)
{
	/* a 16550, not a PL011 */
	t_begin(tree, 0, 2, 2);
	chosen_stdout("stdout-path", "/serial@3f8");
	FDT_OK(fdt_begin_node(tree, "serial@3f8"));
	FDT_OK(fdt_property_string(tree, "compatible", "ns16550a"));
	T_CELLS(tree, "reg", 0x0, 0x3f8, 0x0, 0x8);
	FDT_OK(fdt_end_node(tree));
	t_end(tree);
	uart_of(-ENOENT);

	/* no /chosen, no stdout-path, a dangling alias */
	t_begin(tree, 0, 2, 2);
	t_end(tree);
	uart_of(-ENOENT);
	t_begin(tree, 0, 2, 2);
	FDT_OK(fdt_begin_node(tree, "chosen"));
	FDT_OK(fdt_end_node(tree));
	t_end(tree);
	uart_of(-ENOENT);
	t_begin(tree, 0, 2, 2);
	chosen_stdout("stdout-path", "serial7:115200n8");
	t_end(tree);
	uart_of(-ENOENT);

	/* the parent bus has no ranges: not a CPU address */
	t_begin(tree, 0, 2, 2);
	chosen_stdout("stdout-path", "/bus/pl011@1000");
	FDT_OK(fdt_begin_node(tree, "bus"));
	FDT_OK(fdt_property_u32(tree, "#address-cells", 1));
	FDT_OK(fdt_property_u32(tree, "#size-cells", 1));
	FDT_OK(fdt_begin_node(tree, "pl011@1000"));
	FDT_OK(fdt_property_string(tree, "compatible", "arm,pl011"));
	T_CELLS(tree, "reg", 0x1000, 0x1000);
	FDT_OK(fdt_end_node(tree));
	FDT_OK(fdt_end_node(tree));
	t_end(tree);
	uart_of(-ENOENT);
}

TEST(uart_short_reg_is_einval)
{
	t_begin(tree, 0, 2, 2);
	chosen_stdout("stdout-path", "/pl011@9000000");
	FDT_OK(fdt_begin_node(tree, "pl011@9000000"));
	FDT_OK(fdt_property_string(tree, "compatible", "arm,pl011"));
	T_CELLS(tree, "reg", 0x09000000);
	FDT_OK(fdt_end_node(tree));
	t_end(tree);
	uart_of(-EINVAL);
}

TEST(bad_header_is_einval)
{
	static uint8_t junk[64];
	uint64_t v;
	const char *why = NULL;

	memset(junk, 0xff, sizeof(junk));
	ASSERT_ERR(kfdt_dma_limit(junk, &v, &why), -EINVAL);
	ASSERT_ERR(kfdt_stdout_uart(junk, &v, &why), -EINVAL);
	ASSERT_ERR(kfdt_get_initrd(junk, &v, &v, &why), -EINVAL);
	ASSERT_TRUE(kfdt_get_bootargs(junk) == NULL);
}
