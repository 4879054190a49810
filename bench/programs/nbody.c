/* nbody: five-body gravitational simulation (f64 arithmetic and sqrt).  n = time steps.
 * Our own formulation of the classic planetary system problem. */
#include "common.h"

#define NB 5
#define PI 3.141592653589793
#define SOLAR_MASS (4.0 * PI * PI)
#define DAYS_PER_YEAR 365.24

typedef struct {
    double x, y, z, vx, vy, vz, mass;
} body_t;

static void init_bodies(body_t *b) {
    static const double init[NB][7] = {
        {0, 0, 0, 0, 0, 0, 1.0},
        {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
         1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
         9.54791938424326609e-04},
        {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
         -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
         2.85885980666130812e-04},
        {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
         2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
         4.36624404335156298e-05},
        {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
         2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
         5.15138902046611451e-05},
    };
    for (int i = 0; i < NB; i++) {
        b[i].x = init[i][0];
        b[i].y = init[i][1];
        b[i].z = init[i][2];
        b[i].vx = init[i][3] * DAYS_PER_YEAR;
        b[i].vy = init[i][4] * DAYS_PER_YEAR;
        b[i].vz = init[i][5] * DAYS_PER_YEAR;
        b[i].mass = init[i][6] * SOLAR_MASS;
    }
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < NB; i++) {
        px += b[i].vx * b[i].mass;
        py += b[i].vy * b[i].mass;
        pz += b[i].vz * b[i].mass;
    }
    b[0].vx = -px / SOLAR_MASS;
    b[0].vy = -py / SOLAR_MASS;
    b[0].vz = -pz / SOLAR_MASS;
}

static double energy(const body_t *b) {
    double e = 0.0;
    for (int i = 0; i < NB; i++) {
        e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < NB; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= b[i].mass * b[j].mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static NOINLINE void advance(body_t *b, double dt) {
    for (int i = 0; i < NB; i++) {
        for (int j = i + 1; j < NB; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * __builtin_sqrt(d2));
            b[i].vx -= dx * b[j].mass * mag;
            b[i].vy -= dy * b[j].mass * mag;
            b[i].vz -= dz * b[j].mass * mag;
            b[j].vx += dx * b[i].mass * mag;
            b[j].vy += dy * b[i].mass * mag;
            b[j].vz += dz * b[i].mass * mag;
        }
    }
    for (int i = 0; i < NB; i++) {
        b[i].x += dt * b[i].vx;
        b[i].y += dt * b[i].vy;
        b[i].z += dt * b[i].vz;
    }
}

static u32 bench(i32 n) {
    body_t *b = bench_alloc(sizeof(body_t) * NB);
    init_bodies(b);
    double e0 = energy(b);
    for (i32 s = 0; s < n; s++) advance(b, 0.01);
    double e1 = energy(b);
    return fold_f64(e0) ^ fold_f64(e1);
}

BENCH_ENTRY(1000)
