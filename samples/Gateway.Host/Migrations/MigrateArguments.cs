using System.CommandLine;
using System.CommandLine.Help;

namespace Gateway.Host.Migrations;

/// <summary>The command line of <c>migrate</c>, parsed by <see cref="MigrateCommandLine"/>.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Database">The <c>--db</c> value (or <c>GATEWAY_DB</c>, or the default) as given: a path or a connection string.</param>
/// <param name="Target">The version to end at: <c>--to N</c> of <c>up</c> (null: the newest), <c>N</c> of <c>down</c>.</param>
/// <param name="Force">Whether <c>down</c> may run steps that delete user data.</param>
internal sealed record MigrateArguments(MigrateAction Action, string Database, int? Target, bool Force)
{
    /// <summary>Where the host keeps its database when neither <c>--db</c> nor <c>GATEWAY_DB</c> says (as <c>GatewayOptions.Database</c>).</summary>
    public const string DefaultDatabase = "data/gateway.db";

    /// <summary>Parses <paramref name="args"/> (the words after <c>migrate</c>).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="environment">Reads an environment variable (<c>GATEWAY_DB</c>).</param>
    /// <param name="error">Why the line is not valid; set when the result is <see langword="null"/>.</param>
    public static MigrateArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        var commandLine = new MigrateCommandLine();
        return From(commandLine, commandLine.Parse(args), environment, out error);
    }

    /// <summary>Reads what <paramref name="commandLine"/> parsed into <paramref name="result"/>.</summary>
    /// <param name="commandLine">The grammar that parsed the line.</param>
    /// <param name="result">Its parse of the words after <c>migrate</c>.</param>
    /// <param name="environment">Reads an environment variable (<c>GATEWAY_DB</c>).</param>
    /// <param name="error">Every parse error, one a line; set when the result is <see langword="null"/>.</param>
    public static MigrateArguments? From(MigrateCommandLine commandLine, ParseResult result, Func<string, string?> environment, out string? error)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(environment);
        error = null;

        // -h or --help anywhere prints the help, however the rest of the line reads.
        if (result.Action is HelpAction)
        {
            return new MigrateArguments(MigrateAction.Help, DefaultDatabase, null, false);
        }

        if (result.Errors.Count > 0)
        {
            error = string.Join(Environment.NewLine, result.Errors.Select(e => e.Message).Distinct());
            return null;
        }

        var database = result.GetValue(commandLine.Database);
        if (database is null)
        {
            var fromEnvironment = environment("GATEWAY_DB");
            database = string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultDatabase : fromEnvironment;
        }

        var command = result.CommandResult.Command;
        return command == commandLine.Down
            ? new MigrateArguments(MigrateAction.Down, database, result.GetValue(commandLine.Version), result.GetValue(commandLine.Force))
            : command == commandLine.Up
                ? new MigrateArguments(MigrateAction.Up, database, result.GetValue(commandLine.To), false)
                : new MigrateArguments(MigrateAction.List, database, null, false);
    }
}
