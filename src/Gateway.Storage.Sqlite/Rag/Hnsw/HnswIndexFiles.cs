using System.Text;
using System.Text.Json;

namespace Gateway.Storage.Sqlite.Rag.Hnsw;

/// <summary>
/// Where a collection's index lives beside the database (<c>&lt;db file&gt;.hnsw/&lt;collection&gt;.usearch</c>) and
/// its state file (<c>.json</c> beside it: the <c>vector_version</c>, dimensions and row count it was saved at).
/// The index is current only while that state equals the collection's; anything else (no file, another
/// version after a write by another process or a crash before a save, other dimensions) is stale.
/// </summary>
internal sealed class HnswIndexFiles(string folder)
{
    private const int FormatVersion = 1;

    /// <summary>The folder for the database at <paramref name="databasePath"/>; <see langword="null"/> for an in-memory database (indexes are then never saved).</summary>
    public static HnswIndexFiles? For(string databasePath) =>
        databasePath.Length == 0 || Path.GetFileName(databasePath) == ":memory:" || databasePath.Contains("file::memory:", StringComparison.Ordinal)
            ? null
            : new HnswIndexFiles(Path.GetFullPath(databasePath) + ".hnsw");

    public string IndexPath(string collectionId) => Path.Combine(folder, FileName(collectionId) + ".usearch");

    public string StatePath(string collectionId) => Path.Combine(folder, FileName(collectionId) + ".json");

    /// <summary>Whether the saved state says the saved index is of <paramref name="source"/>.</summary>
    public bool IsCurrent(string collectionId, IHnswSource source)
    {
        var statePath = StatePath(collectionId);
        if (!File.Exists(statePath) || !File.Exists(IndexPath(collectionId)))
        {
            return false;
        }

        try
        {
            var state = JsonSerializer.Deserialize<HnswIndexState>(File.ReadAllBytes(statePath));
            return state is not null && state == new HnswIndexState(FormatVersion, source.Version, source.Dimensions, source.Count);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Writes the index, then its state, each to a temporary file moved over the old one, so a crash leaves either the old pair, or a new index whose old state no longer matches it (stale, rebuilt).</summary>
    public void Save(string collectionId, CollectionHnswIndex index)
    {
        Directory.CreateDirectory(folder);
        var indexPath = IndexPath(collectionId);
        var statePath = StatePath(collectionId);
        File.Delete(statePath);
        index.SaveTo(indexPath + ".tmp", out var version, out var count);
        File.Move(indexPath + ".tmp", indexPath, overwrite: true);
        File.WriteAllBytes(statePath + ".tmp", JsonSerializer.SerializeToUtf8Bytes(new HnswIndexState(FormatVersion, version, index.Dimensions, count)));
        File.Move(statePath + ".tmp", statePath, overwrite: true);
    }

    /// <summary>Removes a deleted collection's files, if any were ever saved.</summary>
    public void Delete(string collectionId)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        File.Delete(StatePath(collectionId));
        File.Delete(IndexPath(collectionId));
    }

    // Collection ids are sortable ids (letters and digits); anything else is hex-encoded so a file name can never leave the folder.
    private static string FileName(string collectionId) =>
        collectionId.Length > 0 && collectionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? collectionId
            : "x" + Convert.ToHexString(Encoding.UTF8.GetBytes(collectionId));

    private sealed record HnswIndexState(int FormatVersion, long VectorVersion, int Dimensions, int Count);
}
