// Test worlds for the lockstep harness: guest, host and shadow page tables
// built with the model's builder (nw_alloc, nw_pt_map, nw_shadow_map) in
// the one sparse memory the RTL and the model share.
#ifndef NW_WORLD_H
#define NW_WORLD_H

#include "nw_sim.h"

// Physical layout (hPA; PA in native mode). Host and shadow tables live
// low; guest tables are built in a guest-physical scratch memory and copied
// to the hPAs the host maps them to, which are all at or above 1 GiB.
enum : uint64_t {
    HT_BASE = 0x00100000ull,  // host tables, 4 MiB
    ST_BASE = 0x00800000ull,  // shadow tables, 4 MiB
    NT_BASE = 0x01000000ull,  // native guest tables, 4 MiB
    GT_SPAN = 0x00400000ull,  // guest-table region size
    GB = 1ull << 30,
};

enum Mode {
    M_NATIVE, M_NATIVE_SEG, M_NESTED, M_SHADOW, M_AGILE, M_VMM_DIRECT,
    M_GUEST_DIRECT, M_DUAL, M_NUM
};
extern const char *const mode_names[M_NUM];

struct World {
    nw_mem *mem;            // host physical memory, the Sim's
    nw_mem *gmem = nullptr; // guest physical scratch (virtualized)
    bool virt = false;
    int gl = 4, hl = 4;
    uint64_t gcr3 = 0, hcr3 = 0, sroot = 0;
    uint64_t gt_base = 0;   // gPA of the guest-table region
    uint64_t hoff = 0;      // host segment offset that also maps the tables
    nw_alloc ga{}, ha{}, sa{};
    std::vector<uint64_t> vas;     // mapped guest VAs (page starts)
    std::vector<uint64_t> gpas;    // final gPAs that got a host mapping

    World(nw_mem *m) : mem(m) {}
    ~World();
    // Guest (and host) tables: guest-table region, root.
    void begin(bool virt_, int gl_, int hl_, Rng &rng);
    // Guest mapping of va (in gmem when virtualized).
    bool map_guest(uint64_t va, uint64_t gpa, int size, uint64_t flags);
    // Host mapping of the gPA region holding gpa.
    bool map_host(uint64_t gpa, uint64_t hpa, int size, uint64_t flags);
    // Maps the guest-table region in the host (size hsz) and copies the
    // guest tables to their hPAs (and to gPA + hoff for a host segment).
    void finish_guest(int hsz, Rng &rng, bool seg_copy);
    // The address of the entry of `level` on va's path in a table tree, or 0.
    static uint64_t entry_addr(nw_mem *m, uint64_t root, int levels, uint64_t va,
                               int level);
    uint64_t host_of(uint64_t gpa); // the host tables' translation, or ~0
};

uint64_t canon(uint64_t va, int levels);

#endif
