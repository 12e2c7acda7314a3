// Test worlds for the lockstep harness: guest, host and shadow page tables
// built with the model's builder (nw_alloc, nw_pt_map, nw_shadow_map) in
// the one sparse memory the RTL and the model share, and configured in a
// Sim: the small VM of the directed tests and benches, and random worlds.
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
    // Copies the guest tables to gPA + hoff for a host segment over them.
    void copy_tables(uint64_t hoff);
    uint64_t host_of(uint64_t gpa); // the host tables' translation, or ~0
};

uint64_t canon(uint64_t va, int levels);
uint64_t rand_va(Rng &g, int gl);  // a random canonical page
uint64_t lv_ctrl(int gl, int hl);  // CTRL's G5 and H5 for these levels

// Configuration through the register port (and so the model's too).
void write_cfg(Sim &sim, const World &w, uint64_t ctrl); // GCR3 (random PCID), HCR3, CTRL
void set_seg(Sim &sim, unsigned base, uint64_t b, uint64_t l, uint64_t off);

// A small VM: VA_A -> 4K, VA_B -> 2M, VA_C -> 1G guest pages (VA_D -> 4K
// next to VA_A's gPA); the host maps them with host page size hsz and the
// guest tables with 4 KiB pages. Configures a native or nested walk.
enum : uint64_t {
    VA_A = 0x00007f1234567000ull, VA_B = 0x0000555540200000ull,
    VA_C = 0xffff888040000000ull, VA_D = 0x00007e1234567000ull,
    // data gPAs in 1 GiB regions of their own, above the guest tables
    GPA_A = 0x43456000ull, GPA_B = 0x85a00000ull, GPA_C = 0xc0000000ull,
    GPA_D = 0x43657000ull,
    VM_HOST = 0x40000000000ull,  // the host maps gPA g to VM_HOST + g
    VM_HOFF = 0x100000000ull,    // a host segment's offset over the small VM
};
void small_vm(Sim &sim, World &w, bool virt, int gl, int hl, int hsz = 0,
              uint64_t gflags = NW_PTE_W | NW_PTE_U);
uint64_t va_of(uint64_t va, int gl);  // a small VM page for gl guest levels
int vm_levels(uint64_t va, int gl);   // guest levels walked to VA_A, VA_B or VA_C

// What the random stimulus needs of a random world: its guest segment.
struct RandWorld {
    bool gseg = false;
    uint64_t gb = 0, glim = 0;
};
// A random world of any mode (or of modes mixed) from g, configured in sim.
RandWorld random_world(Sim &sim, World &w, Rng &g);
// Damages one entry on a mapped path of a table tree in host memory (the
// native guest tables, the shadow tables or the host tables): what walk
// caches hold of it goes stale, alike in the model and the RTL.
void damage_tables(World &w, Rng &g);

#endif
