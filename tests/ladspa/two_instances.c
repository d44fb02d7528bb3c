/* two_instances.c - do two instances of epy_lowpass keep separate state?
 *
 *   two_instances LIB.so [LABEL]       (LABEL defaults to epy_lowpass)
 *
 * Build: gcc -O2 -o two_instances two_instances.c -ldl -lm
 *
 * Why: a plugin implemented in Python can easily keep its filter state (or
 * its coefficient) in a module or class variable instead of in the instance,
 * and a single-instance test such as applyplugin would never notice.  Hosts
 * routinely run one instance per channel, so here two instances with
 * different cutoffs and different inputs are run in alternation, block by
 * block, and each must match the one-pole recurrence computed on its own.
 * Then a third instance, created after the other two have run, must start
 * from y = 0, and deactivate()+activate() must reset an instance.
 *
 * Exit status 0 and "two_instances: ok" on success; 1 with the first
 * mismatch otherwise.
 */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladspa.h"

#define RATE 48000
#define BLOCK 64
#define BLOCKS 8
/* The Python version computes the same doubles, but allow for a libm or
 * evaluation-order difference; shared state would be off by ~0.1 or more. */
#define TOLERANCE 1e-6

typedef struct {
    const char *name;
    LADSPA_Handle h;
    LADSPA_Data control, in[BLOCK], out[BLOCK];
    double input, cutoff, y;   /* the independent reference model */
} Inst;

static const LADSPA_Descriptor *d;
static unsigned long port_control, port_in, port_out;
static int failures;

static void make(Inst *s, const char *name, double cutoff, double input)
{
    s->name = name;
    s->h = d->instantiate(d, RATE);
    if (!s->h) { fprintf(stderr, "two_instances: instantiate failed\n"); exit(1); }
    s->control = (LADSPA_Data)cutoff;
    s->cutoff = s->control;   /* the plugin sees the float value */
    s->input = (LADSPA_Data)input;
    s->y = 0.0;
    for (int i = 0; i < BLOCK; i++) s->in[i] = (LADSPA_Data)input;
    d->connect_port(s->h, port_control, &s->control);
    d->connect_port(s->h, port_in, s->in);
    d->connect_port(s->h, port_out, s->out);
    if (d->activate) d->activate(s->h);
}

/* Run one block and compare with the reference recurrence of c_effects.c. */
static void step(Inst *s, int block)
{
    d->run(s->h, BLOCK);
    double a = 1.0 - exp(-2.0 * M_PI * s->cutoff / RATE);
    for (int i = 0; i < BLOCK; i++) {
        s->y = s->y + a * (s->input - s->y);
        if (fabs((double)s->out[i] - (float)s->y) > TOLERANCE && failures++ < 5)
            fprintf(stderr, "two_instances: %s block %d sample %d: got %.9g, expected %.9g\n",
                    s->name, block, i, s->out[i], (float)s->y);
    }
}

static void finish(Inst *s)
{
    if (d->deactivate) d->deactivate(s->h);
    d->cleanup(s->h);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: two_instances LIB.so [LABEL]\n");
        return 1;
    }
    const char *label = argc > 2 ? argv[2] : "epy_lowpass";
    void *dl = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!dl) { fprintf(stderr, "two_instances: %s\n", dlerror()); return 1; }
    LADSPA_Descriptor_Function fn = (LADSPA_Descriptor_Function)dlsym(dl, "ladspa_descriptor");
    if (!fn) { fprintf(stderr, "two_instances: %s\n", dlerror()); return 1; }
    for (unsigned long i = 0; (d = fn(i)) && strcmp(d->Label, label); i++) {}
    if (!d) { fprintf(stderr, "two_instances: no plugin labelled %s\n", label); return 1; }

    /* Find the ports by kind rather than trusting the index order. */
    int found = 0;
    for (unsigned long p = 0; p < d->PortCount; p++) {
        LADSPA_PortDescriptor pd = d->PortDescriptors[p];
        if (LADSPA_IS_PORT_CONTROL(pd) && LADSPA_IS_PORT_INPUT(pd)) { port_control = p; found |= 1; }
        if (LADSPA_IS_PORT_AUDIO(pd) && LADSPA_IS_PORT_INPUT(pd)) { port_in = p; found |= 2; }
        if (LADSPA_IS_PORT_AUDIO(pd) && LADSPA_IS_PORT_OUTPUT(pd)) { port_out = p; found |= 4; }
    }
    if (found != 7 || d->PortCount != 3) {
        fprintf(stderr, "two_instances: %s is not 1 control in + 1 audio in + 1 audio out\n", label);
        return 1;
    }

    /* Different cutoffs and opposite-sign inputs: any sharing of state or
     * coefficient between the two shows up as a large error. */
    Inst a, b, c;
    make(&a, "A(1000 Hz, +1.0)", 1000.0, 1.0);
    make(&b, "B(200 Hz, -0.5)", 200.0, -0.5);
    for (int k = 0; k < BLOCKS; k++) {
        step(&a, k);
        step(&b, k);
    }

    /* A newcomer starts from rest, whatever the others did before. */
    make(&c, "C(5000 Hz, +0.25, created late)", 5000.0, 0.25);
    step(&c, 0);
    step(&b, BLOCKS);

    /* activate() must reset the state (LADSPA spec): A restarts from y = 0. */
    if (d->activate) {
        if (d->deactivate) d->deactivate(a.h);
        d->activate(a.h);
        a.y = 0.0;
        a.name = "A after deactivate+activate";
        step(&a, 0);
    }

    finish(&a);
    finish(&b);
    finish(&c);
    if (failures) {
        fprintf(stderr, "two_instances: FAILED (%d mismatching samples)\n", failures);
        return 1;
    }
    printf("two_instances: ok\n");
    return 0;
}
