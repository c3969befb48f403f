using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Gateway.Host.Migrations;

/// <summary>
/// The grammar of <c>Gateway.Host migrate</c> on System.CommandLine: the <c>list</c>, <c>up</c> and <c>down</c>
/// commands and their options; its help is what System.CommandLine renders from them.
/// </summary>
internal sealed class MigrateCommandLine
{
    // An "@file" word is a path or a connection string here, never a response file to expand.
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    private readonly Command _host;

    public MigrateCommandLine()
    {
        Database = new Option<string>("--db")
        {
            HelpName = "path-or-connection-string",
            Description = "a SQLite file path (or sqlite:<path>, or \"Data Source=<path>\"), or a PostgreSQL connection "
                + "string (Host=…;Database=…) or postgres:// URL. Default: the GATEWAY_DB environment variable, "
                + $"else {MigrateArguments.DefaultDatabase} (relative to the working directory).",
            Recursive = true,
        };
        Database.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError("--db needs a SQLite file path or connection string.");
            }
        });
        To = new Option<int?>("--to")
        {
            HelpName = "N",
            Description = "the version to end at (default: the newest)",
            CustomParser = result => ParseVersion(result, "--to expects a version number (0 or more)"),
        };
        Force = new Option<bool>("--force") { Description = "let a step that deletes user data (conversations, messages) run" };
        Version = new Argument<int>("N")
        {
            Description = "the version to go down to (0 = empty)",
            CustomParser = result => ParseVersion(result, "down expects the version to go down to (0 or more)") ?? 0,
        };

        List = new Command("list", "every schema version, applied or pending; marks downs that delete user data");
        Up = new Command("up", "upgrade to the newest version, or with --to N to version N; backs the database up first") { To };
        Down = new Command("down", "go back down to version N (0 = empty); backs the database up first. "
            + "A step that deletes user data (conversations, messages) runs only with --force.")
        {
            Version,
            Force,
        };
        Migrate = new Command("migrate", """
            Shows and moves the schema version of the gateway's database, SQLite or PostgreSQL.
            Exit codes: 0 done, 1 a step failed (the database stays at the version before it),
            2 refused (a step would delete user data without --force), 64 bad usage.
            """)
        {
            List,
            Up,
            Down,
            Database,
            new HelpOption { Recursive = true },
        };
        _host = new Command("Gateway.Host") { Migrate };
    }

    public Command Migrate { get; }

    public Command List { get; }

    public Command Up { get; }

    public Command Down { get; }

    public Option<string> Database { get; }

    public Option<int?> To { get; }

    public Option<bool> Force { get; }

    public Argument<int> Version { get; }

    /// <summary>Parses the words after <c>migrate</c>.</summary>
    public ParseResult Parse(IReadOnlyList<string> args) => _host.Parse(["migrate", .. args], Parsing);

    /// <summary>Writes the help of <c>migrate</c> (every command, <c>--db</c>, the exit codes) to <paramref name="writer"/>.</summary>
    public void WriteUsage(TextWriter writer) => WriteHelp(Parse(["--help"]), writer);

    /// <summary>Writes the help that a line with <c>-h</c> or <c>--help</c> asked for (of <c>migrate</c> or one of its commands).</summary>
    public static void WriteHelp(ParseResult helpRequest, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(helpRequest);
        helpRequest.Invoke(new InvocationConfiguration { Output = writer, Error = writer });
    }

    private static int? ParseVersion(ArgumentResult result, string expectation)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return version;
        }

        result.AddError($"{expectation}, not '{text}'.");
        return null;
    }
}
