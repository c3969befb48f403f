using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// Stops start-up on a setting that cannot work, naming the setting and what is accepted; reports every
/// problem at once. Most importantly: a <c>GATEWAY_DB</c> that is a file path when PostgreSQL storage
/// was asked for.
/// </summary>
internal sealed class PostgresStorageOptionsValidator(IServiceProvider services) : IValidateOptions<PostgresStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Setting = $"{PostgresEnvironmentVariables.Database} ({nameof(PostgresStorageOptions)}.{nameof(PostgresStorageOptions.ConnectionString)})";
        if (options.ConnectionString is not null || services.GetService<NpgsqlDataSource>() is null)
        {
            Check(Setting, options.ConnectionString, errors);
        }

        if (options.SearchCandidateLimit is < 100 or > 100_000)
        {
            errors.Add($"{nameof(PostgresStorageOptions)}.{nameof(PostgresStorageOptions.SearchCandidateLimit)}: expected 100 to 100000, got {options.SearchCandidateLimit}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(string setting, string? value, List<string> errors)
    {
        if (!PostgresConnectionStrings.IsPostgres(value))
        {
            errors.Add($"{setting}: PostgreSQL storage needs a connection string (Host=…;Database=…;Username=…) or a postgres://user:password@host/database URL, got '{value}'.");
            return;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.ToNpgsql(value!));
        }
        catch (ArgumentException error)
        {
            errors.Add($"{setting}: not a PostgreSQL connection string Npgsql can read: {error.Message}");
        }
    }
}
