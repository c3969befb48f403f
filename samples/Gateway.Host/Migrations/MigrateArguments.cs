using System.Globalization;

namespace Gateway.Host.Migrations;

/// <summary>The parsed command line of <c>migrate</c>.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Database">The <c>--db</c> value (or <c>GATEWAY_DB</c>, or the default) as given: a path or a connection string.</param>
/// <param name="Target">The version to end at: <c>--to N</c> of <c>up</c> (null: the newest), <c>N</c> of <c>down</c>.</param>
/// <param name="Force">Whether <c>down</c> may run steps that delete user data.</param>
internal sealed record MigrateArguments(MigrateAction Action, string Database, int? Target, bool Force)
{
    /// <summary>Where the host keeps its database when neither <c>--db</c> nor <c>GATEWAY_DB</c> says (as <c>GatewayOptions.Database</c>).</summary>
    public const string DefaultDatabase = "data/gateway.db";

    public const string Usage = """
        Usage: Gateway.Host migrate <command> [--db <path-or-connection-string>]

        Commands:
          list                 every schema version, applied or pending; marks downs that delete user data
          up [--to N]          upgrade to the newest version, or to version N; backs the database up first
          down <N> [--force]   go back down to version N (0 = empty); backs the database up first.
                               A step that deletes user data (conversations, messages) runs only with --force.

        Options:
          --db <value>         a SQLite file path (or sqlite:<path>, or "Data Source=<path>"), or a
                               PostgreSQL connection string (Host=…;Database=…) or postgres:// URL.
                               Default: the GATEWAY_DB environment variable, else data/gateway.db
                               (relative to the working directory).
          -h, --help           this text

        Exit codes: 0 done, 1 a step failed (the database stays at the version before it),
        2 refused (a step would delete user data without --force), 64 bad usage.
        """;

    /// <summary>Parses <paramref name="args"/> (the words after <c>migrate</c>).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="environment">Reads an environment variable (<c>GATEWAY_DB</c>).</param>
    /// <param name="error">Why the line is not valid; set when the result is <see langword="null"/>.</param>
    public static MigrateArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        error = null;
        MigrateAction? action = null;
        string? database = null;
        int? target = null;
        var force = false;
        var toGiven = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "help")
            {
                return new MigrateArguments(MigrateAction.Help, DefaultDatabase, null, false);
            }

            if (arg == "--force")
            {
                force = true;
            }
            else if (TryOption(args, ref i, "--db", out var dbValue))
            {
                if (database is not null)
                {
                    return Fail("--db is given twice.", out error);
                }

                if (string.IsNullOrWhiteSpace(dbValue))
                {
                    return Fail("--db needs a SQLite file path or connection string.", out error);
                }

                database = dbValue;
            }
            else if (TryOption(args, ref i, "--to", out var toValue))
            {
                if (toGiven)
                {
                    return Fail("--to is given twice.", out error);
                }

                if (!TryVersion(toValue, out var version))
                {
                    return Fail($"--to expects a version number (0 or more), not '{toValue}'.", out error);
                }

                toGiven = true;
                target = version;
            }
            else if (arg.StartsWith('-') && !int.TryParse(arg, CultureInfo.InvariantCulture, out _))
            {
                return Fail($"Unknown option '{arg}'.", out error);
            }
            else if (action is null)
            {
                action = arg switch
                {
                    "list" => MigrateAction.List,
                    "up" => MigrateAction.Up,
                    "down" => MigrateAction.Down,
                    _ => null,
                };
                if (action is null)
                {
                    return Fail($"Unknown command '{arg}'; expected list, up or down.", out error);
                }
            }
            else if (action == MigrateAction.Down && target is null)
            {
                if (!TryVersion(arg, out var version))
                {
                    return Fail($"down expects the version to go down to (0 or more), not '{arg}'.", out error);
                }

                target = version;
            }
            else
            {
                return Fail($"Unexpected argument '{arg}'.", out error);
            }
        }

        switch (action)
        {
            case null:
                return Fail("Missing command: list, up or down.", out error);
            case MigrateAction.Down when toGiven:
                return Fail("down takes the version as its argument (down <N>), not --to.", out error);
            case MigrateAction.Down when target is null:
                return Fail("down needs the version to go down to: down <N> (0 = empty).", out error);
            case MigrateAction.List when toGiven:
                return Fail("--to applies only to up.", out error);
            case not MigrateAction.Down when force:
                return Fail("--force applies only to down.", out error);
        }

        if (database is null)
        {
            var fromEnvironment = environment("GATEWAY_DB");
            database = string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultDatabase : fromEnvironment;
        }

        return new MigrateArguments(action.Value, database, target, force);
    }

    /// <summary>Matches <c>--name value</c> and <c>--name=value</c>; a missing value reads as empty.</summary>
    private static bool TryOption(IReadOnlyList<string> args, ref int index, string name, out string value)
    {
        var arg = args[index];
        value = string.Empty;
        if (arg.StartsWith(name + "=", StringComparison.Ordinal))
        {
            value = arg[(name.Length + 1)..];
            return true;
        }

        if (arg != name)
        {
            return false;
        }

        if (index + 1 < args.Count)
        {
            value = args[++index];
        }

        return true;
    }

    private static bool TryVersion(string text, out int version) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version);

    private static MigrateArguments? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }
}
