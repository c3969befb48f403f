using Gateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gateway.Benchmarks.Storage;

/// <summary>Fresh, migrated database files for the write benchmarks, in a folder removed afterwards.</summary>
public sealed class StorageFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-bench-").FullName;

    public string NewDatabase()
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db");
        SqliteMigrationBackend.CreateRunner(path).UpAsync().GetAwaiter().GetResult();
        return path;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
