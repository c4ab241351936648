//! `infercost completions SHELL` and `infercost man`: the shell completion
//! script and the man page, both generated from the clap definitions of
//! [`super::Cli`], so they never drift from the flags. Outside the pricing
//! pipeline: they read no profile.

use clap::{Args, CommandFactory};

use super::{Cli, Error, Output};

/// `infercost completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `infercost man`.
#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// A command, for its own page infercost-COMMAND(1) [default: infercost(1), which lists them].
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// The completion script of `args.shell`.
pub(super) fn completions_command(args: &CompletionsArgs) -> Output {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "infercost", &mut script);
    Output {
        stdout: String::from_utf8_lossy(&script).into_owned(),
        ..Output::default()
    }
}

/// The man page infercost(1), or infercost-COMMAND(1), in roff.
pub(super) fn man_command(args: &ManArgs) -> Result<Output, Error> {
    let mut command = Cli::command().name("infercost");
    command.build();
    let page_of = match &args.command {
        None => command,
        Some(name) => {
            let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
            let Some(sub) = command.find_subcommand(name) else {
                let hint = crate::profile::suggest::did_you_mean(name, names.iter().copied());
                return Err(Error::Usage(format!(
                    "no command `{name}`; {hint}{}commands: {}",
                    if hint.is_empty() { "" } else { " " },
                    names.join(", ")
                )));
            };
            sub.clone().version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(page_of)
        .render(&mut page)
        .map_err(|e| Error::Io(format!("cannot render the man page: {e}")))?;
    Ok(Output {
        stdout: String::from_utf8_lossy(&page).into_owned(),
        ..Output::default()
    })
}
