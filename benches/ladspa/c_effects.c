/* c_effects.c - the two reference LADSPA effects, written in plain C.
 *
 * They exist so that the Python-implemented versions built by epy can be
 * (1) checked against the real SDK hosts with the very same expectations, and
 * (2) benchmarked against the cost floor of a native plugin.  The descriptors
 * below (IDs, labels, port order, names, hints, bounds) are therefore the
 * contract the Python versions must reproduce exactly; tests/ladspa/
 * check_analyse.py holds the same table.
 *
 * Build: gcc -O2 -shared -fPIC -o c_effects.so c_effects.c -lm
 *
 * Both plugins are in-place safe: every sample is read before the output
 * sample at the same index is written, so Input and Output may share a buffer
 * (applyplugin always connects them to the same buffer).
 */
#include <math.h>
#include <stdlib.h>
#include "ladspa.h"

#define PORT_CONTROL 0
#define PORT_INPUT   1
#define PORT_OUTPUT  2
#define PORT_COUNT   3

/* LADSPA 1.1 has no DEFAULT_1000 hint: the fixed defaults are 0, 1, 100 and
 * 440 only (mask 0x3C0; 0x300..0x3C0 are undefined and hosts would ignore or
 * misread them).  440 is the exact fixed default closest to the intent
 * ("a fixed, exact default cutoff"); DEFAULT_MIDDLE with LOGARITHMIC would
 * give sqrt(10*20000) = 447.2, which depends on host arithmetic. */
#define LOWPASS_DEFAULT_HINT LADSPA_HINT_DEFAULT_440

/* Port descriptors and names are shared: both plugins have the same shape
 * (1 control in, 1 audio in, 1 audio out), which is also the shape
 * bench_run and two_instances.c drive. */
static const LADSPA_PortDescriptor port_descriptors[PORT_COUNT] = {
    LADSPA_PORT_CONTROL | LADSPA_PORT_INPUT,
    LADSPA_PORT_AUDIO | LADSPA_PORT_INPUT,
    LADSPA_PORT_AUDIO | LADSPA_PORT_OUTPUT,
};

/* ---------------------------------------------------------------- gain --- */

typedef struct {
    LADSPA_Data *gain, *in, *out;
} Gain;

static const char *const gain_port_names[PORT_COUNT] = { "Gain", "Input", "Output" };

static const LADSPA_PortRangeHint gain_hints[PORT_COUNT] = {
    { LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_BOUNDED_ABOVE | LADSPA_HINT_DEFAULT_1, 0.0f, 8.0f },
    { 0, 0.0f, 0.0f },
    { 0, 0.0f, 0.0f },
};

static LADSPA_Handle gain_instantiate(const LADSPA_Descriptor *d, unsigned long rate)
{
    (void)d; (void)rate;
    return calloc(1, sizeof(Gain));   /* NULL on failure is the LADSPA error signal */
}

static void gain_connect(LADSPA_Handle h, unsigned long port, LADSPA_Data *p)
{
    Gain *g = h;
    switch (port) {
    case PORT_CONTROL: g->gain = p; break;
    case PORT_INPUT:   g->in = p;   break;
    case PORT_OUTPUT:  g->out = p;  break;
    }
}

static void gain_run(LADSPA_Handle h, unsigned long n)
{
    Gain *g = h;
    /* The control value is read once per block: LADSPA controls are
     * block-rate, and the Python version does the same. */
    const LADSPA_Data k = *g->gain;
    const LADSPA_Data *in = g->in;
    LADSPA_Data *out = g->out;
    for (unsigned long i = 0; i < n; i++)
        out[i] = in[i] * k;           /* float * float, like the reference */
}

static void gain_cleanup(LADSPA_Handle h) { free(h); }

/* ------------------------------------------------------------- lowpass --- */

typedef struct {
    LADSPA_Data *cutoff, *in, *out;
    double rate;
    /* The filter state is double and survives between run() calls: the
     * block boundaries chosen by a host must not change the output. */
    double y;
} Lowpass;

static const char *const lowpass_port_names[PORT_COUNT] = { "Cutoff (Hz)", "Input", "Output" };

static const LADSPA_PortRangeHint lowpass_hints[PORT_COUNT] = {
    { LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_BOUNDED_ABOVE | LADSPA_HINT_LOGARITHMIC
          | LOWPASS_DEFAULT_HINT,
      10.0f, 20000.0f },
    { 0, 0.0f, 0.0f },
    { 0, 0.0f, 0.0f },
};

static LADSPA_Handle lowpass_instantiate(const LADSPA_Descriptor *d, unsigned long rate)
{
    (void)d;
    Lowpass *lp = calloc(1, sizeof(Lowpass));   /* y = 0 before any activate() */
    if (lp) lp->rate = (double)rate;
    return lp;
}

static void lowpass_connect(LADSPA_Handle h, unsigned long port, LADSPA_Data *p)
{
    Lowpass *lp = h;
    switch (port) {
    case PORT_CONTROL: lp->cutoff = p; break;
    case PORT_INPUT:   lp->in = p;     break;
    case PORT_OUTPUT:  lp->out = p;    break;
    }
}

/* activate() must reset all state (LADSPA spec), so that a host can reuse an
 * instance with deactivate()+activate(). */
static void lowpass_activate(LADSPA_Handle h) { ((Lowpass *)h)->y = 0.0; }

static void lowpass_run(LADSPA_Handle h, unsigned long n)
{
    Lowpass *lp = h;
    /* Coefficient recomputed every block so control changes take effect at
     * the next block; the exact expression order is what the Python reference
     * (check_apply.py) reproduces: ((2*pi)*cutoff)/rate. */
    const double a = 1.0 - exp(-2.0 * M_PI * (double)*lp->cutoff / lp->rate);
    const LADSPA_Data *in = lp->in;
    LADSPA_Data *out = lp->out;
    double y = lp->y;
    for (unsigned long i = 0; i < n; i++) {
        y = y + a * ((double)in[i] - y);
        out[i] = (LADSPA_Data)y;
    }
    lp->y = y;
}

static void lowpass_cleanup(LADSPA_Handle h) { free(h); }

/* --------------------------------------------------------- descriptors --- */

static const LADSPA_Descriptor descriptors[] = {
    {
        .UniqueID = 4901, .Label = "epy_gain",
        .Properties = 0,   /* the brief specifies no property for the gain */
        .Name = "epy gain", .Maker = "epy", .Copyright = "MIT",
        .PortCount = PORT_COUNT, .PortDescriptors = port_descriptors,
        .PortNames = gain_port_names, .PortRangeHints = gain_hints,
        .instantiate = gain_instantiate, .connect_port = gain_connect,
        .activate = NULL, .run = gain_run, .run_adding = NULL,
        .set_run_adding_gain = NULL, .deactivate = NULL, .cleanup = gain_cleanup,
    },
    {
        .UniqueID = 4902, .Label = "epy_lowpass",
        .Properties = LADSPA_PROPERTY_HARD_RT_CAPABLE,
        .Name = "epy one-pole low-pass", .Maker = "epy", .Copyright = "MIT",
        .PortCount = PORT_COUNT, .PortDescriptors = port_descriptors,
        .PortNames = lowpass_port_names, .PortRangeHints = lowpass_hints,
        .instantiate = lowpass_instantiate, .connect_port = lowpass_connect,
        .activate = lowpass_activate, .run = lowpass_run, .run_adding = NULL,
        .set_run_adding_gain = NULL, .deactivate = NULL, .cleanup = lowpass_cleanup,
    },
};

const LADSPA_Descriptor *ladspa_descriptor(unsigned long index)
{
    return index < sizeof descriptors / sizeof descriptors[0] ? &descriptors[index] : NULL;
}
