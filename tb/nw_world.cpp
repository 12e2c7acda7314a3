// Test worlds (see nw_world.h).
#include "nw_world.h"

const char *const mode_names[M_NUM] = {
    "native", "native-seg", "nested", "shadow", "agile", "vmm-direct",
    "guest-direct", "dual-direct"};

uint64_t canon(uint64_t va, int levels)
{
    int bits = levels == 5 ? 57 : 48;
    return (uint64_t)((int64_t)(va << (64 - bits)) >> (64 - bits));
}

World::~World()
{
    if (gmem)
        nw_mem_free(gmem);
}

void World::begin(bool virt_, int gl_, int hl_, Rng &rng)
{
    virt = virt_;
    gl = gl_;
    hl = hl_;
    if (virt) {
        gmem = nw_mem_new();
        gt_base = (1 + rng.below(GB / (2 << 20) - 4)) << 21;
        ga = {gmem, gt_base, gt_base + GT_SPAN};
        ha = {mem, HT_BASE, HT_BASE + GT_SPAN};
        hcr3 = nw_alloc_page(&ha);
    } else {
        gt_base = NT_BASE;
        ga = {mem, NT_BASE, NT_BASE + GT_SPAN};
    }
    sa = {mem, ST_BASE, ST_BASE + GT_SPAN};
    gcr3 = nw_alloc_page(&ga);
}

bool World::map_guest(uint64_t va, uint64_t gpa, int size, uint64_t flags)
{
    if (nw_pt_map(&ga, gcr3, gl, va, gpa, size, flags))
        return false;
    vas.push_back(va);
    return true;
}

bool World::map_host(uint64_t gpa, uint64_t hpa, int size, uint64_t flags)
{
    uint64_t mask = (1ull << (12 + 9 * size)) - 1;
    if (nw_pt_map(&ha, hcr3, hl, gpa & ~mask, hpa & ~mask, size, flags))
        return false;
    gpas.push_back(gpa);
    return true;
}

void World::finish_guest(int hsz, Rng &rng, bool seg_copy)
{
    if (!virt)
        return;
    uint64_t end = ga.next;
    if (hsz == 0) {
        // 4 KiB host pages, scattered over [1 GiB, 1 GiB + 16 MiB)
        uint64_t k0 = rng.below(4096);
        for (uint64_t p = gt_base; p < end; p += 4096) {
            uint64_t k = ((p - gt_base) / 4096 * 977 + k0) % 4096;
            map_host(p, GB + k * 4096, 0, NW_PTE_W);
        }
    } else if (hsz == 1) {
        uint64_t h = 2 * GB + (rng.below(256) << 22);
        map_host(gt_base, h, 1, NW_PTE_W);
        map_host(gt_base + (2 << 20), h + (2 << 20) * (1 + 2 * rng.below(3)), 1,
                 NW_PTE_W);
    } else {
        map_host(gt_base, (4 + rng.below(60)) * GB, 2, NW_PTE_W | NW_PTE_U);
    }
    for (uint64_t p = gt_base; p < end; p += 4096) {
        uint64_t h = host_of(p);
        for (uint64_t o = 0; o < 4096; o += 8) {
            uint64_t v = 0;
            nw_mem_read(gmem, p + o, &v);
            if (h != ~0ull)
                nw_mem_write(mem, h + o, v);
            if (seg_copy)
                nw_mem_write(mem, (p + hoff + o) & NW_PA_MASK, v);
        }
    }
    gpas.clear();
}

uint64_t World::entry_addr(nw_mem *m, uint64_t root, int levels, uint64_t va,
                           int level)
{
    uint64_t table = root & NW_PTE_ADDR;
    for (int l = levels;; l--) {
        uint64_t ea = table | ((va >> (12 + 9 * (l - 1))) & 0x1ff) << 3, e;
        if (l == level)
            return ea;
        if (nw_mem_read(m, ea, &e) || !(e & NW_PTE_P) || l == 1 ||
            ((l == 2 || l == 3) && (e & NW_PTE_PS)))
            return 0;
        table = e & NW_PTE_ADDR;
    }
}

uint64_t World::host_of(uint64_t gpa)
{
    uint64_t hpa, leaf;
    int size;
    if (nw_pt_lookup(mem, hcr3, hl, gpa, &hpa, &size, &leaf, nullptr))
        return ~0ull;
    return hpa;
}
