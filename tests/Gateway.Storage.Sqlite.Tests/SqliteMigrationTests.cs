using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Core.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests;

public sealed partial class SqliteMigrationTests : IDisposable
{
    /// <summary>
    /// Rows a user could have written at each schema version, keyed by the version whose shape they
    /// first fit; a database at version v is seeded with every entry of key ≤ v, in key order. A migration that
    /// creates or reshapes a user table adds an entry here (a test below insists), so the upgrade
    /// matrix keeps proving that rows written before it survive it. Every message carries one unique
    /// <c>mkN</c> token, which the search checks look for.
    /// </summary>
    private static readonly SortedDictionary<int, string> Seeds = new()
    {
        [1] = ConversationSeed,
        [3] = ProfileSeed,
        [4] = ToolCallSeed,
        [5] = RagSeed,
        [6] = CitationSeed,
        [7] = JsonPathSeed,
        [8] = JobSeed,
        [9] = JobAttachmentSeed,
        [10] = ReembeddingSeed,
        [11] = SourceSeed,
        [12] = DocumentTextSeed,
    };

    private const string ConversationSeed = """
            INSERT INTO conversations (id, title, space_id, metadata, created_at, updated_at, archived, message_count, active_message_id, content_hash) VALUES
              ('0194b2c0-1a00-7000-8000-00000000c001', 'Zoo trip 🦓', NULL, '{"pinned":true,"tags":["animals","kids"]}',
               '2025-01-20T09:00:00.0000000Z', '2025-01-20T09:05:00.0000000Z', 0, 4, '0194b2c0-1a00-7000-8000-00000000a004', NULL),
              ('0194b2c0-1b00-7000-8000-00000000c002', NULL, 'space-research', '{}',
               '2025-01-21T10:00:00.0000000Z', '2025-01-22T11:00:00.1234567Z', 1, 3, '0194b2c0-1b00-7000-8000-00000000a007',
               'sha256:5d41402abc4b2a76b9719d911017c592'),
              ('0194b2c0-1c00-7000-8000-00000000c003', 'Long answer', 'space-research', '{"source":"chatgpt"}',
               '2025-01-23T08:00:00.0000000Z', '2025-01-23T08:00:00.0000000Z', 0, 1, '0194b2c0-1c00-7000-8000-00000000a008', NULL),
              ('0194b2c0-1d00-7000-8000-00000000c004', 'Empty', NULL, '{}',
               '2025-01-24T08:00:00.0000000Z', '2025-01-24T08:00:00.0000000Z', 0, 0, NULL, NULL);

            INSERT INTO messages (id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at) VALUES
              ('0194b2c0-1a00-7000-8000-00000000a001', '0194b2c0-1a00-7000-8000-00000000c001', NULL, 'user',
               'tell me about the zebra mk1', NULL, NULL, NULL, 'complete', '2025-01-20T09:00:00.0000000Z'),
              ('0194b2c0-1a00-7000-8000-00000000a002', '0194b2c0-1a00-7000-8000-00000000c001', '0194b2c0-1a00-7000-8000-00000000a001', 'assistant',
               'Zebras have black and white stripes mk2', 'local', 12, 40, 'complete', '2025-01-20T09:00:02.0000000Z'),
              ('0194b2c0-1a00-7000-8000-00000000a003', '0194b2c0-1a00-7000-8000-00000000c001', '0194b2c0-1a00-7000-8000-00000000a001', 'assistant',
               'A regenerated answer that broke off mid mk3', 'gpt', 12, NULL, 'incomplete', '2025-01-20T09:01:00.0000000Z'),
              ('0194b2c0-1a00-7000-8000-00000000a004', '0194b2c0-1a00-7000-8000-00000000c001', '0194b2c0-1a00-7000-8000-00000000a003', 'user',
               'quote "AND" NEAR( * -- ''single'' mk4', NULL, NULL, NULL, 'complete', '2025-01-20T09:05:00.0000000Z'),
              ('0194b2c0-1b00-7000-8000-00000000a005', '0194b2c0-1b00-7000-8000-00000000c002', NULL, 'system',
               'You are terse. mk5', NULL, NULL, NULL, 'complete', '2025-01-21T10:00:00.0000000Z'),
              ('0194b2c0-1b00-7000-8000-00000000a006', '0194b2c0-1b00-7000-8000-00000000c002', '0194b2c0-1b00-7000-8000-00000000a005', 'user',
               'Ünïcödé naïve café 東京 mk6', NULL, NULL, NULL, 'complete', '2025-01-21T10:00:01.0000000Z'),
              ('0194b2c0-1b00-7000-8000-00000000a007', '0194b2c0-1b00-7000-8000-00000000c002', '0194b2c0-1b00-7000-8000-00000000a006', 'assistant',
               'upstream_error: the model server went away mk7', 'local', 30, 0, 'error', '2025-01-22T11:00:00.1234567Z'),
              ('0194b2c0-1c00-7000-8000-00000000a008', '0194b2c0-1c00-7000-8000-00000000c003', NULL, 'user',
               'mk8 ' || replace(hex(zeroblob(500)), '00', 'lorem ipsum '), NULL, NULL, NULL, 'complete', '2025-01-23T08:00:00.0000000Z');
            """;

    /// <summary>Profiles and spaces as the stores write them (name_key folded), linked, one space the default of a profile and holding seeded conversations' space id.</summary>
    private const string ProfileSeed = """

        INSERT INTO model_profiles (id, name, name_key, model_key, system_prompt, temperature, top_p, max_tokens, stop, context_window, metadata, created_at, updated_at) VALUES
          ('0194b2c0-2a00-7000-8000-00000000b001', 'Writer', 'writer', 'gpt-4o', 'Be brief. 📝', 0.7, 0.95, 512, '["END","\n\nUser:"]', 128000,
           '{"team":"docs"}', '2025-01-25T08:00:00.0000000Z', '2025-01-25T09:00:00.0000000Z'),
          ('0194b2c0-2b00-7000-8000-00000000b002', 'Café', 'café', 'local', NULL, NULL, NULL, NULL, '[]', NULL,
           '{}', '2025-01-26T08:00:00.0000000Z', '2025-01-26T08:00:00.0000000Z');

        INSERT INTO spaces (id, name, name_key, description, default_profile_id, metadata, created_at, updated_at) VALUES
          ('0194b2c0-2c00-7000-8000-00000000d001', 'Research', 'research', 'Papers', '0194b2c0-2a00-7000-8000-00000000b001', '{"color":"teal"}',
           '2025-01-27T08:00:00.0000000Z', '2025-01-27T08:00:00.0000000Z'),
          ('0194b2c0-2d00-7000-8000-00000000d002', 'Empty', 'empty', NULL, NULL, '{}',
           '2025-01-28T08:00:00.0000000Z', '2025-01-28T08:00:00.0000000Z');

        INSERT INTO space_profiles (space_id, profile_id) VALUES
          ('0194b2c0-2c00-7000-8000-00000000d001', '0194b2c0-2a00-7000-8000-00000000b001'),
          ('0194b2c0-2c00-7000-8000-00000000d001', '0194b2c0-2b00-7000-8000-00000000b002');
        """;

    /// <summary>A tool round trip as the stores write it: a reply that is only tool calls, and the tool's result answering one.</summary>
    private const string ToolCallSeed = """

        INSERT INTO conversations (id, title, space_id, metadata, created_at, updated_at, archived, message_count, active_message_id, content_hash) VALUES
          ('0194b2c0-1e00-7000-8000-00000000c005', 'Weather', NULL, '{}',
           '2025-01-29T08:00:00.0000000Z', '2025-01-29T08:00:02.0000000Z', 0, 2, '0194b2c0-1e00-7000-8000-00000000a010', NULL);

        INSERT INTO messages (id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at, tool_calls, tool_call_id, tool_name) VALUES
          ('0194b2c0-1e00-7000-8000-00000000a009', '0194b2c0-1e00-7000-8000-00000000c005', NULL, 'assistant',
           'checking mk9', 'local', 20, 9, 'complete', '2025-01-29T08:00:01.0000000Z',
           '[{"id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"}]', NULL, NULL),
          ('0194b2c0-1e00-7000-8000-00000000a010', '0194b2c0-1e00-7000-8000-00000000c005', '0194b2c0-1e00-7000-8000-00000000a009', 'tool',
           '{"forecast":"drizzle mk10"}', NULL, NULL, NULL, 'complete', '2025-01-29T08:00:02.0000000Z', NULL, 'call_1', 'get_weather');
        """;

    /// <summary>A collection of the seeded space with one document of two chunks (vectors of 2 float32), linked to the other space.</summary>
    private const string RagSeed = """

        INSERT INTO rag_collections (id, name, name_key, description, space_id, embedding_model, dimensions, created_at, updated_at) VALUES
          ('0194b2c0-3a00-7000-8000-00000000e001', 'Manuals', 'manuals', 'How-tos', '0194b2c0-2c00-7000-8000-00000000d001', 'bge-small', 2,
           '2025-01-30T08:00:00.0000000Z', '2025-01-30T08:00:00.0000000Z');

        INSERT INTO rag_documents (id, collection_id, name, content_hash, metadata, character_count, created_at, updated_at) VALUES
          ('0194b2c0-3b00-7000-8000-00000000f001', '0194b2c0-3a00-7000-8000-00000000e001', 'guide.md',
           '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824', '{"lang":"en"}', 10,
           '2025-01-30T08:00:01.0000000Z', '2025-01-30T08:00:01.0000000Z');

        INSERT INTO rag_chunks (id, collection_id, document_id, ordinal, text, citation_start, citation_end, heading_path, page, metadata, vector) VALUES
          ('0194b2c0-3c00-7000-8000-0000000a0001', '0194b2c0-3a00-7000-8000-00000000e001', '0194b2c0-3b00-7000-8000-00000000f001', 0,
           'hello', 0, 5, 'Guide', 1, '{"lang":"en"}', X'0000803F00000000'),
          ('0194b2c0-3c00-7000-8000-0000000a0002', '0194b2c0-3a00-7000-8000-00000000e001', '0194b2c0-3b00-7000-8000-00000000f001', 1,
           'world', 5, 10, NULL, NULL, '{"lang":"en"}', X'000000000000803F');

        INSERT INTO space_collections (space_id, collection_id) VALUES
          ('0194b2c0-2d00-7000-8000-00000000d002', '0194b2c0-3a00-7000-8000-00000000e001');
        """;

    /// <summary>A question answered from the seeded document, its reply citing both chunks as the chat service stores them.</summary>
    private const string CitationSeed = """

        INSERT INTO conversations (id, title, space_id, metadata, created_at, updated_at, archived, message_count, active_message_id, content_hash) VALUES
          ('0194b2c0-1f00-7000-8000-00000000c006', 'Guide', '0194b2c0-2c00-7000-8000-00000000d001', '{}',
           '2025-01-31T08:00:00.0000000Z', '2025-01-31T08:00:01.0000000Z', 0, 2, '0194b2c0-1f00-7000-8000-00000000a012', NULL);

        INSERT INTO messages (id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at, citations) VALUES
          ('0194b2c0-1f00-7000-8000-00000000a011', '0194b2c0-1f00-7000-8000-00000000c006', NULL, 'user',
           'what does the guide say mk11', NULL, NULL, NULL, 'complete', '2025-01-31T08:00:00.0000000Z', NULL),
          ('0194b2c0-1f00-7000-8000-00000000a012', '0194b2c0-1f00-7000-8000-00000000c006', '0194b2c0-1f00-7000-8000-00000000a011', 'assistant',
           'hello world [1][2] mk12', 'local', 30, 6, 'complete', '2025-01-31T08:00:01.0000000Z',
           '[{"index":1,"chunkId":"0194b2c0-3c00-7000-8000-0000000a0001","documentId":"0194b2c0-3b00-7000-8000-00000000f001","documentName":"guide.md","collectionId":"0194b2c0-3a00-7000-8000-00000000e001","citation":{"start":0,"end":5,"headingPath":"Guide","page":1}},{"index":2,"chunkId":"0194b2c0-3c00-7000-8000-0000000a0002","documentId":"0194b2c0-3b00-7000-8000-00000000f001","documentName":"guide.md","collectionId":"0194b2c0-3a00-7000-8000-00000000e001","citation":{"start":5,"end":10,"headingPath":null,"page":null}}]');
        """;

    /// <summary>A chunk of a JSON document, citing the record it flattens.</summary>
    private const string JsonPathSeed = """

        INSERT INTO rag_chunks (id, collection_id, document_id, ordinal, text, citation_start, citation_end, heading_path, page, json_path, metadata, vector) VALUES
          ('0194b2c0-3c00-7000-8000-0000000a0003', '0194b2c0-3a00-7000-8000-00000000e001', '0194b2c0-3b00-7000-8000-00000000f001', 2,
           'name: North pier', 10, 26, NULL, NULL, '$.harbours[0]', '{"lang":"en"}', X'0000803F00000000');
        """;

    /// <summary>A running ingestion job with a checkpoint, and its events so far.</summary>
    /// <summary>A collection half way to another model: its re-embedding, owned by the seeded job, with one chunk's pending vector.</summary>
    private const string ReembeddingSeed = """

        INSERT INTO rag_reembeddings (collection_id, embedding_model, dimensions, job_id, started_at) VALUES
          ('0194b2c0-3a00-7000-8000-00000000e001', 'bge-base', 3, '0194b2c0-4a00-7000-8000-00000000b001', '2025-02-02T08:00:00.0000000Z');

        INSERT INTO rag_pending_vectors (collection_id, chunk_id, vector) VALUES
          ('0194b2c0-3a00-7000-8000-00000000e001', '0194b2c0-3c00-7000-8000-0000000a0001', X'0000803F0000000000000000');
        """;

    private const string JobSeed = """

        INSERT INTO jobs (id, kind, state, payload, progress, checkpoint, result, error_code, error_detail, attempts, max_attempts,
                          cancel_requested, pause_requested, lease_owner, lease_token, lease_expires_at, event_seq, created_at, started_at, updated_at, finished_at) VALUES
          ('0194b2c0-4a00-7000-8000-00000000b001', 'ingestion', 'running', '{"collectionId":"0194b2c0-3a00-7000-8000-00000000e001"}',
           '{"documentsDone":1}', '{"next":"b.md"}', NULL, NULL, NULL, 1, 3, 0, 0, 'host-a', 1, '2025-02-01T08:00:30.0000000Z', 3,
           '2025-02-01T08:00:00.0000000Z', '2025-02-01T08:00:00.5000000Z', '2025-02-01T08:00:01.0000000Z', NULL);

        INSERT INTO job_events (job_id, seq, type, data, at) VALUES
          ('0194b2c0-4a00-7000-8000-00000000b001', 1, 'queued', '{}', '2025-02-01T08:00:00.0000000Z'),
          ('0194b2c0-4a00-7000-8000-00000000b001', 2, 'started', '{"attempt":1,"owner":"host-a","takeover":false}', '2025-02-01T08:00:00.5000000Z'),
          ('0194b2c0-4a00-7000-8000-00000000b001', 3, 'progress', '{"documentsDone":1}', '2025-02-01T08:00:01.0000000Z');
        """;

    /// <summary>An upload staged with the seeded running job.</summary>
    private const string JobAttachmentSeed = """

        INSERT INTO job_attachments (job_id, name, content) VALUES
          ('0194b2c0-4a00-7000-8000-00000000b001', '0', X'2320477569646500FF');
        """;

    private const string SourceSeed = """

        INSERT INTO rag_sources (id, collection_id, root, path, include, exclude, created_at, last_synced_at, last_ingestion_id, sync_ingestion_id,
                                 sync_claim, sync_claimed_until) VALUES
          ('0194b2c0-5a00-7000-8000-00000000f001', '0194b2c0-3a00-7000-8000-00000000e001', 'docs', 'handbook', '["**/*.md"]', '[]',
           '2025-02-02T08:00:00.0000000Z', '2025-02-02T08:01:00.0000000Z', '0194b2c0-4a00-7000-8000-00000000b001', NULL, NULL, NULL);

        INSERT INTO rag_source_files (source_id, path, size, modified_ticks, document_name, content_hash) VALUES
          ('0194b2c0-5a00-7000-8000-00000000f001', 'handbook/leave.md', 120, 638700000000000007, 'handbook/leave.md', NULL);

        INSERT INTO rag_source_changes (source_id, path, size, modified_ticks, document_name, removed, failed) VALUES
          ('0194b2c0-5a00-7000-8000-00000000f001', 'handbook/new.md', 80, 638700000000000009, 'handbook/new.md', 0, 0);
        """;

    /// <summary>The seeded document's text, "helloworld" as the stores keep it: UTF-16 little-endian bytes.</summary>
    private const string DocumentTextSeed = """

        INSERT INTO rag_document_texts (document_id, text_utf16) VALUES
          ('0194b2c0-3b00-7000-8000-00000000f001', X'680065006C006C006F0077006F0072006C006400');
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-migrations-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static int Latest => SqliteMigrationBackend.Migrations.Count;

    /// <summary>Every version before the newest that a database can be at with user data in it.</summary>
    public static TheoryData<int> EarlierVersions() => [.. Enumerable.Range(1, Latest - 1)];


    private string NewDatabase() => Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db");

    [Fact]
    public void Migrations_Embedded_AreNumberedWithDownTwins()
    {
        var migrations = SqliteMigrationBackend.Migrations;

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], migrations.Select(m => m.Version));
        Assert.True(migrations[0].DownDropsUserData);
        Assert.False(migrations[1].DownDropsUserData);
        Assert.True(migrations[2].DownDropsUserData);
        Assert.True(migrations[3].DownDropsUserData);
        Assert.True(migrations[4].DownDropsUserData);
        Assert.True(migrations[5].DownDropsUserData);
        Assert.True(migrations[6].DownDropsUserData);
        Assert.True(migrations[7].DownDropsUserData);
        Assert.True(migrations[8].DownDropsUserData);
        Assert.True(migrations[9].DownDropsUserData);
        Assert.True(migrations[10].DownDropsUserData);
        Assert.True(migrations[11].DownDropsUserData);
    }

    [Fact]
    public void Seeds_EveryStepThatReshapesUserTables_HasRowsWrittenAtIt()
    {
        var reshaping = SqliteMigrationBackend.Migrations
            .Where(m => ReshapesUserTables().IsMatch(m.Up))
            .Select(m => m.Version);

        Assert.All(reshaping, version => Assert.True(Seeds.ContainsKey(version), $"Migration {version} reshapes user tables: add a seed for it."));
        Assert.Equal(1, Seeds.Keys.Min());
    }

    [Fact]
    public async Task Up_EmptyDatabase_ReachesLatestWithoutBackup()
    {
        var path = NewDatabase();
        var runner = SqliteMigrationBackend.CreateRunner(path);

        var result = await runner.UpAsync();
        var versions = await runner.ListAsync();
        await SeedAsync(path, Latest);

        Assert.Equal(new MigrationResult(0, Latest, null), result);
        Assert.All(versions, v => Assert.True(v.Applied));
        await AssertSearchCoversEveryMessageAsync(path);
    }

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public async Task Up_FromEveryEarlierVersionWithRows_KeepsEveryColumnAndIndexesThem(int startVersion)
    {
        var path = NewDatabase();
        var runner = SqliteMigrationBackend.CreateRunner(path);
        await runner.UpAsync(startVersion);
        await SeedAsync(path, startVersion);
        var before = await SnapshotAsync(path);

        var result = await runner.UpAsync();

        Assert.Equal(new MigrationResult(startVersion, Latest, result.BackupPath), result);
        AssertRowsKept(before, await SnapshotAsync(path));
        await AssertSearchCoversEveryMessageAsync(path);
        Assert.Equal("ok", await ScalarAsync(path, "PRAGMA integrity_check"));

        // The upgraded database takes new rows like a new one, and indexes them.
        await ExecuteAsync(path, """
            INSERT INTO messages (id, conversation_id, role, content, created_at)
            VALUES ('0194b2c0-1e00-7000-8000-00000000a099', '0194b2c0-1d00-7000-8000-00000000c004', 'user', 'after the upgrade mk99', '2025-02-01T00:00:00.0000000Z')
            """);
        await AssertSearchCoversEveryMessageAsync(path);
        foreach (var seed in Seeds.Where(seed => seed.Key > startVersion))
        {
            await ExecuteAsync(path, seed.Value);
        }

        await AssertSearchCoversEveryMessageAsync(path);
        Assert.Equal(2L, await ScalarAsync(path, "SELECT count(*) FROM space_profiles"));
        Assert.Equal("call_1", await ScalarAsync(path, "SELECT json_extract(tool_calls, '$[0].id') FROM messages WHERE tool_calls IS NOT NULL"));
        Assert.Equal("guide.md", await ScalarAsync(path, "SELECT json_extract(citations, '$[1].documentName') FROM messages WHERE citations IS NOT NULL"));
    }

    [Fact]
    public async Task Up_FromVersionWithData_BacksUpFirst()
    {
        var path = NewDatabase();
        var runner = SqliteMigrationBackend.CreateRunner(path);
        await runner.UpAsync(1);
        await SeedAsync(path, 1);
        var before = await SnapshotAsync(path);

        var result = await runner.UpAsync();

        Assert.NotNull(result.BackupPath);
        Assert.Equal(1L, await ScalarAsync(result.BackupPath, "SELECT max(version) FROM gateway_schema_version"));
        AssertRowsKept(before, await SnapshotAsync(result.BackupPath));
        Assert.Equal("ok", await ScalarAsync(result.BackupPath, "PRAGMA integrity_check"));
    }

    /// <summary>
    /// Down to every earlier version and up again: the tables the steps down keep hold every row
    /// throughout (and are indexed again); the tables a step down drops come back as in a new database. A down through a
    /// step that drops user data is refused without force.
    /// </summary>
    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public async Task DownThenUp_ToEveryEarlierVersion_KeepsTheRowsOfTablesThatStay(int target)
    {
        var path = NewDatabase();
        var runner = SqliteMigrationBackend.CreateRunner(path);
        await runner.UpAsync();
        await SeedAsync(path, Latest);
        var before = await SnapshotAsync(path);
        var dropsUserData = SqliteMigrationBackend.Migrations.Any(m => m.Version > target && m.DownDropsUserData);

        if (dropsUserData)
        {
            await Assert.ThrowsAsync<MigrationException>(() => runner.DownAsync(target));
            AssertRowsKept(before, await SnapshotAsync(path), "after the refused down");
        }

        var down = await runner.DownAsync(target, force: dropsUserData);
        var atTarget = await SnapshotAsync(path);
        var versionAtTarget = await ScalarAsync(path, "SELECT coalesce(max(version), 0) FROM gateway_schema_version");
        await runner.UpAsync();
        var after = await SnapshotAsync(path);

        Assert.Equal(target, down.ToVersion);
        Assert.NotNull(down.BackupPath);
        AssertRowsKept(before, await SnapshotAsync(down.BackupPath), "in the backup");
        Assert.Equal((long)target, versionAtTarget);
        Assert.True(atTarget.ContainsKey("conversations") && atTarget.ContainsKey("messages"), "conversations must survive every down above 0");
        // A step down may drop columns of a table that stays (the tool columns of messages): the columns left keep their values.
        var kept = before.Where(t => atTarget.ContainsKey(t.Key)).ToDictionary(t => t.Key, t => KeepColumns(t.Value, atTarget[t.Key]));
        AssertRowsKept(kept, atTarget, "at the down target");
        AssertRowsKept(kept, after);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));

        // What a step down dropped comes back as a new database has it: empty user tables, columns of NULL.
        var fresh = NewDatabase();
        await SqliteMigrationBackend.CreateRunner(fresh).UpAsync();
        var rebuilt = (await SnapshotAsync(fresh)).Where(t => !kept.ContainsKey(t.Key)).ToDictionary();
        if (rebuilt.Count > 0)
        {
            AssertRowsKept(rebuilt, after, "rebuilt by the step up");
        }

        var droppedColumns = before["messages"][0].Keys.Except(atTarget["messages"][0].Keys).ToList();
        Assert.All(after["messages"], row => Assert.All(droppedColumns, column => Assert.Null(row[column])));
        await AssertSearchCoversEveryMessageAsync(path);
        Assert.Equal("ok", await ScalarAsync(path, "PRAGMA integrity_check"));
    }

    [Fact]
    public async Task Down_DeletingUserData_RefusesWithoutForceAndBacksUpWithIt()
    {
        var path = NewDatabase();
        var runner = SqliteMigrationBackend.CreateRunner(path);
        await runner.UpAsync();
        await SeedAsync(path, Latest);
        var before = await SnapshotAsync(path);

        var refused = await Assert.ThrowsAsync<MigrationException>(() => runner.DownAsync(0));
        Assert.Equal(Latest, refused.CurrentVersion);
        Assert.Contains("--force", refused.Message);
        AssertRowsKept(before, await SnapshotAsync(path));
        Assert.Empty(Directory.GetFiles(_folder, "*.bak"));

        var result = await runner.DownAsync(0, force: true);

        Assert.Equal(0L, await ScalarAsync(path, "SELECT count(*) FROM sqlite_master WHERE name IN ('messages', 'conversations')"));
        Assert.NotNull(result.BackupPath);
        AssertRowsKept(before, await SnapshotAsync(result.BackupPath));
    }

    /// <summary>
    /// Broken steps whose first statements succeed (new table, index, column, rewritten rows that the
    /// search triggers re-index) before a later statement fails: at prepare time, on a CHECK
    /// constraint, or on a UNIQUE constraint.
    /// </summary>
    public static TheoryData<string, string> BrokenSteps() => new()
    {
        { "INSERT INTO no_such_table VALUES (1);", "no_such_table" },
        { "UPDATE messages SET status = 'bogus' WHERE role = 'assistant';", "CHECK constraint failed" },
        { "INSERT INTO half_done (x) VALUES (1); INSERT INTO half_done (x) VALUES (1);", "UNIQUE constraint failed" },
    };

    [Theory]
    [MemberData(nameof(BrokenSteps))]
    public async Task Up_StepFailsMidway_RollsBackToPreviousVersionWithNoPartialObjects(string failingStatement, string expectedError)
    {
        var path = NewDatabase();
        var runner = new MigrationRunner(new SqliteMigrationBackend(path), [.. SqliteMigrationBackend.Migrations, BrokenStep(failingStatement)]);
        await runner.UpAsync(Latest);
        await SeedAsync(path, Latest);
        var rows = await SnapshotAsync(path);
        var schema = await SchemaAsync(path);

        var error = await Assert.ThrowsAsync<MigrationException>(() => runner.UpAsync());

        Assert.Equal(Latest, error.CurrentVersion);
        Assert.Contains(expectedError, error.Message);
        Assert.Equal(schema, await SchemaAsync(path));
        AssertRowsKept(rows, await SnapshotAsync(path));
        Assert.False((await runner.ListAsync()).Single(v => v.Version == Latest + 1).Applied);
        Assert.Equal((long)Latest, await ScalarAsync(path, "SELECT max(version) FROM gateway_schema_version"));
        Assert.Equal("ok", await ScalarAsync(path, "PRAGMA integrity_check"));
        await AssertSearchCoversEveryMessageAsync(path);

        // Still a working database at the previous version, and the step can be retried once fixed.
        await ExecuteAsync(path, """
            INSERT INTO messages (id, conversation_id, role, content, created_at)
            VALUES ('0194b2c0-1e00-7000-8000-00000000a098', '0194b2c0-1d00-7000-8000-00000000c004', 'user', 'after the failure mk98', '2025-02-01T00:00:00.0000000Z')
            """);
        await AssertSearchCoversEveryMessageAsync(path);
        var fixedRunner = new MigrationRunner(new SqliteMigrationBackend(path), [.. SqliteMigrationBackend.Migrations, BrokenStep(string.Empty)]);
        Assert.Equal(Latest + 1, (await fixedRunner.UpAsync()).ToVersion);
        Assert.Equal(1L, await ScalarAsync(path, "SELECT count(*) FROM half_done"));
    }

    [Fact]
    public async Task Down_StepFailsMidway_RollsBackAndStaysAtItsVersion()
    {
        var path = NewDatabase();
        var step = new SchemaMigration(
            Latest + 1,
            "broken_down",
            "CREATE TABLE extra (x INTEGER); INSERT INTO extra (x) VALUES (1);",
            "DROP TABLE extra; UPDATE messages SET content = ''; INSERT INTO no_such_table VALUES (1);",
            DownDropsUserData: false);
        var runner = new MigrationRunner(new SqliteMigrationBackend(path), [.. SqliteMigrationBackend.Migrations, step]);
        await runner.UpAsync();
        await SeedAsync(path, Latest);
        var rows = await SnapshotAsync(path);
        var schema = await SchemaAsync(path);

        var error = await Assert.ThrowsAsync<MigrationException>(() => runner.DownAsync(Latest));

        Assert.Equal(Latest + 1, error.CurrentVersion);
        Assert.Equal(schema, await SchemaAsync(path));
        AssertRowsKept(rows, await SnapshotAsync(path));
        Assert.Equal("ok", await ScalarAsync(path, "PRAGMA integrity_check"));
        await AssertSearchCoversEveryMessageAsync(path);
    }

    [Fact]
    public async Task Up_TwoProcessesAtOnce_ApplyEachStepOnce()
    {
        var path = NewDatabase();
        var first = SqliteMigrationBackend.CreateRunner(path);
        var second = SqliteMigrationBackend.CreateRunner(path);

        var results = await Task.WhenAll(Task.Run(() => first.UpAsync()), Task.Run(() => second.UpAsync()));

        Assert.All(results, r => Assert.Equal(Latest, r.ToVersion));
        Assert.Equal((long)Latest, await ScalarAsync(path, "SELECT count(*) FROM gateway_schema_version"));
    }

    [Fact]
    public async Task Up_FourRunnersOnAPopulatedFile_ApplyEachStepOnceAndKeepRows()
    {
        var path = NewDatabase();
        IReadOnlyList<SchemaMigration> migrations =
        [
            .. SqliteMigrationBackend.Migrations,
            new SchemaMigration(
                Latest + 1,
                "count_runs",
                "CREATE TABLE IF NOT EXISTS step_runs (n INTEGER NOT NULL); INSERT INTO step_runs (n) VALUES (1);",
                "DROP TABLE step_runs;",
                DownDropsUserData: false),
        ];
        await SqliteMigrationBackend.CreateRunner(path).UpAsync(1);
        await SeedAsync(path, 1);
        var before = await SnapshotAsync(path);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => new MigrationRunner(new SqliteMigrationBackend(path), migrations).UpAsync())));

        Assert.All(results, r => Assert.Equal(Latest + 1, r.ToVersion));
        Assert.Equal(1L, await ScalarAsync(path, "SELECT count(*) FROM step_runs"));
        Assert.Equal(
            Enumerable.Range(1, Latest + 1).Select(v => (long)v),
            await ColumnAsync<long>(path, "SELECT version FROM gateway_schema_version ORDER BY version"));
        AssertRowsKept(before, await SnapshotAsync(path));
        await AssertSearchCoversEveryMessageAsync(path);
        Assert.Equal("ok", await ScalarAsync(path, "PRAGMA integrity_check"));
        foreach (var backup in results.Select(r => r.BackupPath).OfType<string>())
        {
            AssertRowsKept(before, await SnapshotAsync(backup));
        }
    }

    /// <summary>A step after the shipped ones that creates objects and rewrites rows before <paramref name="failingStatement"/>.</summary>
    private static SchemaMigration BrokenStep(string failingStatement) => new(
        Latest + 1,
        "broken",
        $"""
        CREATE TABLE half_done (x INTEGER UNIQUE);
        CREATE INDEX half_done_by_role ON messages (role);
        ALTER TABLE conversations ADD COLUMN half_column TEXT;
        UPDATE messages SET content = content || ' rewritten';
        INSERT INTO half_done (x) VALUES (1);
        {failingStatement}
        """,
        "DROP INDEX half_done_by_role; ALTER TABLE conversations DROP COLUMN half_column; DROP TABLE half_done;",
        DownDropsUserData: false);

    private static async Task SeedAsync(string path, int version)
    {
        foreach (var seed in Seeds.Where(seed => seed.Key <= version))
        {
            await ExecuteAsync(path, seed.Value);
        }
    }

    /// <summary>
    /// Every row of every table that holds data (not the version table, not a virtual table's
    /// shadow tables), as column → value per row.
    /// </summary>
    private static async Task<Dictionary<string, List<Dictionary<string, object?>>>> SnapshotAsync(string path)
    {
        var tables = await ColumnAsync<string>(path, """
            SELECT name FROM sqlite_master AS t
            WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> 'gateway_schema_version'
              AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
              AND NOT EXISTS (SELECT 1 FROM sqlite_master AS v WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%' AND t.name LIKE v.name || '\_%' ESCAPE '\')
            """);
        var snapshot = new Dictionary<string, List<Dictionary<string, object?>>>();
        await using var connection = await OpenAsync(path);
        foreach (var table in tables)
        {
            var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<Dictionary<string, object?>>();
            while (await reader.ReadAsync())
            {
                var row = new Dictionary<string, object?>();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            snapshot[table] = rows;
        }

        return snapshot;
    }

    /// <summary><paramref name="rows"/> with only the columns <paramref name="reshaped"/> still has (all of them when it has no rows to tell).</summary>
    private static List<Dictionary<string, object?>> KeepColumns(List<Dictionary<string, object?>> rows, List<Dictionary<string, object?>> reshaped) =>
        reshaped.Count == 0
            ? rows
            : [.. rows.Select(row => row.Where(column => reshaped[0].ContainsKey(column.Key)).ToDictionary())];

    /// <summary>Every table of <paramref name="before"/> is still there with every row, each column it had holding the same typed value.</summary>
    private static void AssertRowsKept(
        Dictionary<string, List<Dictionary<string, object?>>> before, Dictionary<string, List<Dictionary<string, object?>>> after, string when = "after")
    {
        Assert.NotEmpty(before);
        foreach (var (table, rows) in before)
        {
            Assert.True(after.TryGetValue(table, out var afterRows), $"Table {table} is gone {when}.");
            var columns = rows.FirstOrDefault()?.Keys.ToList() ?? [];
            Assert.Equal(Render(rows, columns), Render(afterRows, columns));
        }

        static List<string> Render(List<Dictionary<string, object?>> rows, List<string> columns) => rows
            .Select(row => string.Join(" | ", columns.Select(c => row.TryGetValue(c, out var value)
                ? $"{c}={value?.GetType().Name ?? "null"}:{Convert.ToString(value, CultureInfo.InvariantCulture)}"
                : $"{c}=<missing>")))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The search index matches the messages table exactly (FTS5's own check against the content
    /// table), and each message's <c>mkN</c> token finds that message and no other.
    /// </summary>
    private static async Task AssertSearchCoversEveryMessageAsync(string path)
    {
        await ExecuteAsync(path, "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
        await using var connection = await OpenAsync(path);
        var messages = connection.CreateCommand();
        messages.CommandText = "SELECT seq, content FROM messages";
        var expected = new List<(long Seq, string Marker)>();
        await using (var reader = await messages.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var markers = Marker().Matches(reader.GetString(1));
                Assert.True(markers.Count == 1, $"Seed message {reader.GetInt64(0)} needs exactly one mkN token.");
                expected.Add((reader.GetInt64(0), markers[0].Value));
            }
        }

        Assert.NotEmpty(expected);
        foreach (var (seq, marker) in expected)
        {
            var search = connection.CreateCommand();
            search.CommandText = "SELECT rowid FROM messages_fts WHERE messages_fts MATCH @query";
            search.Parameters.AddWithValue("@query", $"\"{marker}\"");
            var hits = new List<long>();
            await using var reader = await search.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                hits.Add(reader.GetInt64(0));
            }

            Assert.Equal(new[] { seq }, hits);
        }
    }

    private static async Task<List<string>> SchemaAsync(string path) =>
        await ColumnAsync<string>(path, "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name");

    private static async Task<SqliteConnection> OpenAsync(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = await OpenAsync(path);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = await OpenAsync(path);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task<List<T>> ColumnAsync<T>(string path, string sql)
    {
        await using var connection = await OpenAsync(path);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    [GeneratedRegex(@"\bmk\d+\b")]
    private static partial Regex Marker();

    [GeneratedRegex(@"\b(CREATE|ALTER|DROP)\s+TABLE\s+(IF\s+(NOT\s+)?EXISTS\s+)?(conversations|messages|model_profiles|spaces|space_profiles|rag_collections|rag_documents|rag_chunks|space_collections|jobs|job_events|job_attachments|rag_reembeddings|rag_pending_vectors|rag_sources|rag_source_files|rag_source_changes|rag_document_texts)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReshapesUserTables();
}
