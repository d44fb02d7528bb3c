//! The `epy-codegen` command line: parses arguments, chooses the pack (the
//! one named, or the one covering the header), drives each subcommand
//! (header → plan → crate and `.pyi`; `build`, `new`, `install`) and prints
//! diagnostics. Exit status 1 on any error, never a panic trace.
use clap::{Args, Parser, Subcommand};
use epy_codegen::builder::{self, BuildOptions};
use epy_codegen::plan::Plan;
use epy_codegen::{Diagnostic, Errors, ParseOptions, pack};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Generate native plugins whose exports are written in Python.
///
/// `epy-codegen HEADER` generates a Rust cdylib crate (one export stub per
/// declared function) and a typed `.pyi` for the script's author.
/// `epy-codegen build SCRIPT.py --pack wcx` (or `--header HEADER`) builds a
/// finished plugin library exporting exactly the functions the script defines.
///
/// A header that needs more to parse: `-I DIR`, `-D NAME[=VALUE]` and
/// `--include FILE` (read before it, e.g. the header that declares the types
/// it uses). A header that only includes others is read as those headers.
/// What cannot become an export (variadic functions, K&R `()` declarations)
/// is left out with a warning at its `file:line:col` naming it. A header that
/// declares no functions (only a dispatch table or descriptor types): name
/// a pack, or declare the exports in a header of your own that includes it.
///
/// First plugin: `epy-codegen new myarc --pack wcx` writes a typed starter
/// `myarc/myarc.py` and prints the commands to build, type-check and
/// register it (`epy-codegen install myarc.wcx --host doublecmd`).
///
/// Interface packs (`interfaces/<name>/pack.toml`, shipped inside this
/// binary) add what a host expects and its header cannot say: handles,
/// string lists, packed records, required exports, the library suffix. A
/// header a pack covers (by file name or content) gets that pack unless
/// `--no-pack` is given.
///
/// Settings: `<script stem>.toml` beside the script holds the annotations
/// (tables the build reads) and the `[plugin]` table the plugin reads at run
/// time (interpreter, venv, reload, buffers); `build` copies it beside the library.
/// Everything else epy writes goes to `$XDG_CACHE_HOME/epy` (default
/// `~/.cache/epy`): the runtime sources and packs, each plugin's generated
/// crate, the shared cargo target directory.
///
/// Errors and warnings show `file:line:col`, the source line with the spot
/// marked, and `= help:` suggestions; in colour on a terminal unless
/// `NO_COLOR` is set.
#[derive(Parser, Debug)]
#[command(
    name = "epy-codegen",
    version,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    /// The C header of the plugin interface: generate the crate and .pyi for every function it declares.
    #[arg(required = true)]
    header: Option<PathBuf>,
    /// Output directory (default: ./<header stem>-plugin).
    #[arg(short = 'o', value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print the interface model as JSON instead of generating.
    #[arg(long)]
    emit_model: bool,
    /// List what was inferred from the header's shapes (rule, parameter,
    /// file:line) instead of generating; override any of it in the annotations.
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    header_args: HeaderArgs,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Build a finished plugin: OUTDIR/<script stem>.so with the script and its .pyi beside it.
    Build(Build),
    /// Start a plugin: write NAME/NAME.py, a typed starter implementing the
    /// interface's required exports, and print the next commands.
    New(New),
    /// Register a built plugin in a host's configuration. Double Commander
    /// (doublecmd.xml): an archive plugin (.wcx) gets a <WcxPlugin> entry per
    /// extension, a content plugin (.wdx) a <WdxPlugin>, a file-system plugin
    /// (.wfx) a <WfxPlugin>; the kind comes from the plugin's exports.
    Install(Install),
}

#[derive(Args, Debug)]
struct New {
    /// The plugin's name: the folder, the script (NAME.py) and the library.
    name: String,
    /// The C header of the plugin interface (default: the pack's own header).
    #[arg(long, required_unless_present = "pack")]
    header: Option<PathBuf>,
    /// Where to create NAME/ (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    #[command(flatten)]
    header_args: HeaderArgs,
}

#[derive(Args, Debug)]
struct Install {
    /// The built plugin library (NAME.wcx, NAME.wdx or NAME.wfx); its script NAME.py beside it.
    plugin: PathBuf,
    /// The host whose configuration to change.
    #[arg(long, value_parser = ["doublecmd"])]
    host: String,
    /// Double Commander's configuration folder (default: ~/.config/doublecmd).
    #[arg(long, value_name = "DIR")]
    config_dir: Option<PathBuf>,
    /// Archive plugins only: an extension to register (repeatable; default: the script's EXTENSIONS list).
    #[arg(long = "ext", value_name = "EXT")]
    exts: Vec<String>,
    /// Archive plugins only: PK_CAPS_* flags Double Commander trusts (default: what the plugin's GetPackerCaps returns, else 0).
    #[arg(long)]
    flags: Option<i64>,
    /// Python for reading the script (default: $PYO3_PYTHON or python3).
    #[arg(long)]
    python: Option<String>,
}

#[derive(Args, Debug)]
struct HeaderArgs {
    /// Include directory for the header (repeatable).
    #[arg(short = 'I', value_name = "DIR")]
    include: Vec<PathBuf>,
    /// Preprocessor definition NAME or NAME=VALUE (repeatable).
    #[arg(short = 'D', value_name = "NAME[=VALUE]")]
    define: Vec<String>,
    /// Header to read before HEADER, as if HEADER began with `#include "FILE"`
    /// (repeatable, in order): for a header that needs another one included
    /// first (`unknown type name 'snd_config_t'`: `--include alsa/asoundlib.h`).
    #[arg(long = "include", value_name = "FILE")]
    force_include: Vec<PathBuf>,
    /// Target triple to parse for (e.g. i686-pc-windows-msvc); default: this machine.
    #[arg(long)]
    target: Option<String>,
    /// Annotations file (TOML): buffer lengths, string encodings, error values.
    #[arg(long, value_name = "FILE.toml")]
    annotations: Option<PathBuf>,
    /// Interface pack: a name (`wcx`) or a directory with a pack.toml.
    #[arg(long, value_name = "NAME|DIR")]
    pack: Option<String>,
    /// Read the header alone even if a pack covers it.
    #[arg(long, conflicts_with = "pack")]
    no_pack: bool,
    /// Infer nothing from the header's shapes (see --explain): pointers
    /// stay as declared unless the annotations say more.
    #[arg(long)]
    no_infer: bool,
}

#[derive(Args, Debug)]
struct Build {
    /// The plugin script; its top-level functions become the exports.
    script: PathBuf,
    /// The C header of the plugin interface (default: the pack's own header).
    #[arg(long, required_unless_present = "pack")]
    header: Option<PathBuf>,
    /// Output directory (default: the script's directory).
    #[arg(short = 'o', value_name = "OUTDIR")]
    out: Option<PathBuf>,
    /// Python to build for (default: $PYO3_PYTHON or python3).
    #[arg(long)]
    python: Option<String>,
    /// Shared cargo target directory (default: $EPY_TARGET_DIR or $XDG_CACHE_HOME/epy/target).
    #[arg(long, value_name = "DIR")]
    target_dir: Option<PathBuf>,
    /// File name suffix of the library (default: the pack's, else so).
    #[arg(long)]
    suffix: Option<String>,
    /// Build without optimizations.
    #[arg(long)]
    debug: bool,
    #[command(flatten)]
    header_args: HeaderArgs,
}

/// The parse options, with the pack named, or the one covering the header
/// (its directory: the plan loads it).
fn parse_options(header: Option<PathBuf>, a: HeaderArgs) -> Result<ParseOptions, Errors> {
    let pack = match (&a.pack, &header) {
        (Some(name), _) => Some(pack::locate(name)?),
        (None, Some(h)) if !a.no_pack => pack::recognise(h).map(|p| {
            eprintln!(
                "epy: {} is covered by the `{}` pack ({}: {}); --no-pack reads it alone",
                h.display(),
                p.name(),
                p.meta().description,
                p.dir.display()
            );
            p.dir
        }),
        _ => None,
    };
    let header = match (header, &pack) {
        (Some(h), _) => h,
        (None, Some(dir)) => pack::Pack::load(dir)?.header(),
        (None, None) => {
            return Err(epy_codegen::Diagnostic::plain("missing HEADER (see --help)").into());
        }
    };
    Ok(ParseOptions {
        header,
        includes: a.include,
        defines: a.define,
        force_includes: a.force_include,
        infer: !a.no_infer,
        target: a.target,
        annotations: a.annotations,
        pack,
    })
}

fn default_python(p: Option<String>) -> String {
    p.or_else(|| std::env::var("PYO3_PYTHON").ok())
        .unwrap_or_else(|| "python3".into())
}

fn run(cli: Cli) -> Result<(), Errors> {
    match (cli.command, cli.header) {
        (Some(Cmd::New(n)), _) => {
            let opts = parse_options(n.header, n.header_args)?;
            let plan = Plan::load(&opts)?;
            let started = epy_codegen::starter::new_plugin(&n.name, &n.dir, &plan, &opts)?;
            eprintln!("epy: wrote {}", started.script.display());
            let _ = writeln!(std::io::stdout(), "{}", started.next);
            Ok(())
        }
        (Some(Cmd::Install(i)), _) => {
            let opts = epy_codegen::install::InstallOptions {
                plugin: i.plugin,
                config_dir: i.config_dir,
                exts: i.exts,
                flags: i.flags,
                python: default_python(i.python),
            };
            epy_codegen::install::install(&opts).map(|_| ())
        }
        (Some(Cmd::Build(b)), _) => {
            let python = default_python(b.python);
            let opts = BuildOptions {
                script: b.script,
                parse: parse_options(b.header, b.header_args)?,
                out_dir: b.out,
                python,
                target_dir: b.target_dir.unwrap_or_else(builder::default_target_dir),
                runtime_path: builder::default_runtime_path()?,
                suffix: b.suffix,
                debug: b.debug,
            };
            builder::build(&opts).map(|_| ())
        }
        (None, Some(header)) => {
            let opts = parse_options(Some(header.clone()), cli.header_args)?;
            let plan = Plan::load(&opts)?;
            let iface = &plan.iface;
            for w in &iface.warnings {
                Diagnostic::warning(w.loc.clone(), &w.message).eprint();
            }
            if cli.explain {
                let mut out = std::io::stdout();
                for i in &iface.inferred {
                    let _ = writeln!(out, "{i}");
                }
                match &plan.pack {
                    // A pack says everything itself: nothing is inferred.
                    Some(p) => eprintln!(
                        "epy: the `{}` pack covers {}: nothing is inferred (--no-pack shows what would be)",
                        p.name(),
                        header.display()
                    ),
                    None if iface.inferred.is_empty() => {
                        eprintln!("epy: nothing inferred from {}", header.display())
                    }
                    None => {}
                }
                return Ok(());
            }
            if cli.emit_model {
                // A closed pipe (`| head`) is not an error worth a panic.
                let json = serde_json::to_string_pretty(&plan.iface).unwrap_or_default();
                let _ = writeln!(std::io::stdout(), "{json}");
                return Ok(());
            }
            let stem = header
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let out = cli
                .out
                .unwrap_or_else(|| PathBuf::from(format!("{stem}-plugin")));
            // Every exportable function is exported (the plan's default).
            if plan.exports.is_empty() {
                Diagnostic::warning(None, epy_codegen::notes::no_functions(&header)).eprint();
            }
            let crate_name = format!("epy_plugin_{}", builder::identifier(&stem));
            let runtime = builder::default_runtime_path()?;
            let pyi = builder::write_crate(&plan, &crate_name, &runtime, &out, &stem)?;
            let module = &plan.iface.module;
            builder::write_if_changed(&out.join(format!("{module}.pyi")), &pyi)?;
            eprintln!(
                "epy: wrote {} (crate {crate_name} and {module}.pyi)",
                out.display()
            );
            Ok(())
        }
        (None, None) => Err(epy_codegen::Diagnostic::plain("missing HEADER (see --help)").into()),
    }
}

fn main() -> ExitCode {
    // Diagnostics, not backtraces: a bug still gets one readable line.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("epy-codegen: internal error: {info}");
    }));
    let cli = Cli::parse();
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            e.eprint();
            ExitCode::FAILURE
        }
        Err(_) => ExitCode::FAILURE,
    }
}
