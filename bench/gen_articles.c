/* gen_articles.c - deterministic generator of seed-shaped articles for the
 * benchmarks: a headline, a dateline, English body paragraphs, Vietnamese
 * captions followed by their English lines (varied names, titles, credits
 * and numbers), English-only captions, and a share of partial and
 * mismatched captions.
 *
 * usage: gen_articles DIR MEGABYTES [SEED] [--gzip]
 * Writes DIR/NNNNNN.txt (or .txt.gz) until MEGABYTES of text are written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

static unsigned long long rng_state;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}
#define PICK(a) (a)[rnd(sizeof(a) / sizeof *(a))]

static const char *const surnames[][2] = {
    { "Nguyễn", "Nguyen" }, { "Trần", "Tran" }, { "Lê", "Le" }, { "Phạm", "Pham" },
    { "Hoàng", "Hoang" }, { "Phan", "Phan" }, { "Võ", "Vo" }, { "Đặng", "Dang" },
    { "Bùi", "Bui" }, { "Đỗ", "Do" }, { "Hồ", "Ho" }, { "Ngô", "Ngo" }, { "Dương", "Duong" },
    { "Đinh", "Dinh" }, { "Thái", "Thai" },
};
static const char *const middles[][2] = {
    { "Văn", "Van" }, { "Thị", "Thi" }, { "Xuân", "Xuan" }, { "Hồng", "Hong" }, { "Đức", "Duc" },
    { "Thanh", "Thanh" }, { "Minh", "Minh" }, { "Đình", "Dinh" }, { "Hữu", "Huu" }, { "Mạnh", "Manh" },
};
static const char *const givens[][2] = {
    { "Sơn", "Son" }, { "Vinh", "Vinh" }, { "Hùng", "Hung" }, { "Lan", "Lan" }, { "Khôi", "Khoi" },
    { "Tiến", "Tien" }, { "Hải", "Hai" }, { "Quý", "Quy" }, { "Chính", "Chinh" }, { "Nga", "Nga" },
    { "Dũng", "Dung" }, { "Hoa", "Hoa" }, { "Tuấn", "Tuan" }, { "Phúc", "Phuc" },
};
static const char *const titles[][2] = {
    { "Phó Chủ tịch UBND tỉnh", "Vice Chairman of the Provincial People's Committee" },
    { "Chủ tịch HĐND tỉnh", "Chairman of the Provincial People's Council" },
    { "Ủy viên Ban Thường vụ Tỉnh ủy", "Member of the Provincial Party Standing Committee" },
    { "Phó Bí thư Thường trực Tỉnh ủy", "Standing Deputy Secretary of the Provincial Party Committee" },
    { "Bí thư Tỉnh ủy", "Secretary of the Provincial Party Committee" },
    { "Trưởng ban Dân vận Tỉnh ủy", "Head of the Provincial Party Committee's Mass Mobilization Commission" },
    { "Giám đốc Sở Y tế", "Director of the Department of Health" },
    { "Phó Chủ tịch UBMTTQ tỉnh", "Vice Chairman of the Provincial Fatherland Front Committee" },
    { "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", "Chairman of the Provincial Party Committee's Inspection Commission" },
};
static const char *const scenes[][2] = {
    { "Hội nghị tại điểm cầu Nghệ An.", "Conference at Nghe An bridge." },
    { "Toàn cảnh hội nghị.", "Overview of the conference." },
    { "Quang cảnh buổi làm việc.", "Scene of the working session." },
    { "Lãnh đạo tỉnh trao quà cho hộ nghèo.", "Provincial leaders present gifts to poor households." },
    { "Các đại biểu tham quan mô hình sản xuất.", "Delegates visit the production model." },
    { "Cán bộ Đồn Biên phòng thăm hỏi dân bản.", "Officers of the Border Guard Station visit the villagers." },
};
static const char *const verbs[][2] = {
    { "phát biểu tại hội nghị", "speaks at the conference" },
    { "chủ trì hội nghị", "chairs the conference" },
    { "trao quà cho các gia đình chính sách", "presents gifts to policy families" },
    { "kiểm tra công trình", "inspects the project" },
};
static const char *const body[] = {
    "In %d, the mass mobilization work of the entire political system had positive changes and achieved important results, with %d models built across the province.",
    "State administrative agencies received %d citizens and resolved %d complaints and denunciations under their authority, reaching a high rate of settlement.",
    "The Provincial People's Committee directed departments and localities to speed up administrative reform, with %d procedures simplified and %d records submitted online.",
    "Delegates focused on exchanging, discussing and analyzing the results achieved, shortcomings that need to be overcome and lessons learned in %d, proposing %d specific solutions.",
    "The emulation movement \"Skilled Mass Mobilization\" continued to be expanded and deepened, with %d typical examples commended and %d collectives awarded.",
};
static const char *const credits[] = { "Mai Hoa", "Thanh Cuong", "My Nga", "Doan Hung", "Thu Giang" };

static void person(char *vi, char *en, size_t n)
{
    unsigned a = rnd(sizeof surnames / sizeof *surnames), b = rnd(sizeof middles / sizeof *middles),
             c = rnd(sizeof givens / sizeof *givens);
    snprintf(vi, n, "%s %s %s", surnames[a][0], middles[b][0], givens[c][0]);
    snprintf(en, n, "%s %s %s", surnames[a][1], middles[b][1], givens[c][1]);
}

static size_t article(char *out, size_t cap, unsigned id)
{
    size_t n = 0;
#define PUT(...) n += (size_t)snprintf(out + n, cap - n, __VA_ARGS__)
    PUT("Nghe An strengthens mass mobilization work in report number %u\n\n", id);
    PUT("Plum Blossom January %u, 20%02u 14:%02u\n\n", 1 + rnd(28), 10 + rnd(15), rnd(60));
    unsigned paras = 14 + rnd(14);
    for (unsigned p = 0; p < paras; p++) {
        PUT(PICK(body), 2000 + rnd(25), 10 + rnd(5000));
        PUT("\n\n");
        if (rnd(3) == 0) {
            char pv[64], pe[64];
            person(pv, pe, sizeof pv);
            unsigned t = rnd(sizeof titles / sizeof *titles), v = rnd(sizeof verbs / sizeof *verbs);
            const char *cr = PICK(credits);
            unsigned kind = rnd(10);
            if (kind < 5) { /* a true translation */
                PUT("Đồng chí %s - %s %s. Ảnh: %s\n", pv, titles[t][0], verbs[v][0], cr);
                PUT("Comrade %s - %s %s. Photo: %s\n\n", pe, titles[t][1], verbs[v][1], cr);
            } else if (kind < 7) { /* a scene */
                unsigned s = rnd(sizeof scenes / sizeof *scenes);
                PUT("%s Ảnh: %s\n%s Photo: %s\n\n", scenes[s][0], cr, scenes[s][1], cr);
            } else if (kind == 7) { /* partial: the English says more */
                PUT("Đồng chí %s - %s. Ảnh: %s\n", pv, titles[t][0], cr);
                PUT("Comrade %s - %s requested all levels and sectors to attach importance to dialogue and to resolve %d complicated issues that arise. Photo: %s\n\n",
                    pe, titles[t][1], 3 + rnd(40), cr);
            } else if (kind == 8) { /* mismatch: other titles for the same person */
                unsigned t2 = (t + 1 + rnd(3)) % (sizeof titles / sizeof *titles);
                PUT("Đồng chí %s - %s %s. Ảnh: %s\n", pv, titles[t][0], verbs[v][0], cr);
                PUT("Comrade %s - %s %s. Photo: %s\n\n", pe, titles[t2][1], verbs[v][1], cr);
            } else { /* an English-only caption */
                PUT("Comrade %s - %s visits and presents gifts to policy families. Photo: %s\n\n",
                    pe, titles[t][1], cr);
            }
        }
    }
    PUT("Featured Nghe An Newspaper\n\nLatest\n");
#undef PUT
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: gen_articles DIR MEGABYTES [SEED] [--gzip]\n");
        return 2;
    }
    const char *dir = argv[1];
    double mb = atof(argv[2]);
    rng_state = argc > 3 && argv[3][0] != '-' ? strtoull(argv[3], NULL, 10) : 42;
    if (!rng_state) rng_state = 42;
    int gz = argc > 3 && !strcmp(argv[argc - 1], "--gzip");
    mkdir(dir, 0777);
    static char buf[1 << 16];
    double total = 0;
    for (unsigned id = 0; total < mb * 1e6; id++) {
        size_t n = article(buf, sizeof buf, id);
        char path[4096];
        snprintf(path, sizeof path, "%s/%06u.txt%s", dir, id, gz ? ".gz" : "");
        if (gz) {
            gzFile f = gzopen(path, "wb6");
            if (!f || gzwrite(f, buf, (unsigned)n) != (int)n || gzclose(f) != Z_OK) {
                perror(path);
                return 1;
            }
        } else {
            FILE *f = fopen(path, "wb");
            if (!f || fwrite(buf, 1, n, f) != n || fclose(f) != 0) {
                perror(path);
                return 1;
            }
        }
        total += (double)n;
    }
    return 0;
}
