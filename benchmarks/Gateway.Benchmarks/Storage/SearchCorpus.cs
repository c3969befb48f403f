using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// The search corpus: 1,000,000 messages of about 500 bytes in 20,000 conversations over 10 spaces,
/// words drawn from a 50,000-word vocabulary with Zipf frequencies (s = 1, like natural language),
/// from a fixed seed. Built once into a SQLite file under the temp folder and reused by every later
/// run (building it takes minutes: the FTS5 rebuild tokenises 500 MB of text).
/// </summary>
public static class SearchCorpus
{
    public const int MessageCount = 1_000_000;
    public const int ConversationCount = 20_000;
    public const int SpaceCount = 10;
    private const int VocabularySize = 50_000;
    private const int Seed = 20261126;
    private const int Version = 1;

    private static readonly Lock Gate = new();
    private static string[]? _vocabulary;

    /// <summary>The words, most frequent first (rank 1 is <c>Vocabulary[0]</c>).</summary>
    public static IReadOnlyList<string> Vocabulary => _vocabulary ??= BuildVocabulary();

    /// <summary>The cached corpus file, built first if it is not there.</summary>
    public static string Path { get; } = System.IO.Path.Combine(
        System.IO.Path.GetTempPath(), "gateway-bench", $"search-corpus-v{Version}-{MessageCount}.db");

    /// <summary>The id of the conversation with the given index (0-based), as stored.</summary>
    public static string ConversationId(int index) => $"00000000-0000-7000-8000-{index:D12}";

    /// <summary>The space of the conversation with the given index.</summary>
    public static string SpaceId(int conversationIndex) => $"space-{conversationIndex % SpaceCount}";

    /// <summary>Returns the corpus file, building it when missing.</summary>
    public static string Ensure(TextWriter? log = null) => EnsureAt(Path, MessageCount, log);

    /// <summary>
    /// A corpus like the full one, of <paramref name="messageCount"/> messages (50 to a conversation), built
    /// once into the temp folder in seconds: the CI benchmark guard's, for which the full corpus takes too long.
    /// </summary>
    public static string EnsureSmall(int messageCount) => EnsureAt(
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gateway-bench", $"search-corpus-v{Version}-{messageCount}.db"), messageCount, null);

    private static string EnsureAt(string path, int messageCount, TextWriter? log)
    {
        lock (Gate)
        {
            if (File.Exists(path))
            {
                return path;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            var building = path + ".building";
            foreach (var stale in new[] { building, building + "-wal", building + "-shm" })
            {
                File.Delete(stale);
            }

            BuildAsync(building, messageCount, log ?? TextWriter.Null).GetAwaiter().GetResult();
            SqliteConnection.ClearAllPools();
            File.Move(building, path);
            return path;
        }
    }

    private static async Task BuildAsync(string path, int messageCount, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        await SqliteMigrationBackend.CreateRunner(path).UpAsync();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; UPDATE search_index_state SET deferred = 1;");

        var random = new Random(Seed);
        var sampler = new ZipfSampler(VocabularySize, random);
        var vocabulary = Vocabulary;
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        const int PerConversation = MessageCount / ConversationCount;
        var conversationCount = messageCount / PerConversation;
        const int ConcurrentConversations = 50;
        const int BlockSize = ConcurrentConversations * 50;

        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            var conversation = connection.CreateCommand();
            conversation.Transaction = transaction;
            conversation.CommandText = """
                INSERT INTO conversations (id, title, space_id, created_at, updated_at, message_count)
                VALUES (@id, @title, @space, @at, @at, @count)
                """;
            var cId = conversation.Parameters.Add("@id", SqliteType.Text);
            var cTitle = conversation.Parameters.Add("@title", SqliteType.Text);
            var cSpace = conversation.Parameters.Add("@space", SqliteType.Text);
            var cAt = conversation.Parameters.Add("@at", SqliteType.Text);
            conversation.Parameters.AddWithValue("@count", PerConversation);
            for (var i = 0; i < conversationCount; i++)
            {
                cId.Value = ConversationId(i);
                cTitle.Value = "Conversation " + i.ToString(CultureInfo.InvariantCulture);
                cSpace.Value = SpaceId(i);
                cAt.Value = start.AddSeconds(i / ConcurrentConversations * BlockSize * 30L).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
                await conversation.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        // Conversations run interleaved, as in real use: each block of 2,500 messages holds 50
        // conversations of 50 messages taking turns, so a conversation spans about 2,500 seqs.
        var text = new StringBuilder(600);
        for (var batchStart = 0; batchStart < messageCount; batchStart += 50_000)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO messages (seq, id, conversation_id, parent_id, role, content, created_at)
                VALUES (@seq, @id, @conversation, @parent, @role, @content, @at)
                """;
            var pSeq = insert.Parameters.Add("@seq", SqliteType.Integer);
            var pId = insert.Parameters.Add("@id", SqliteType.Text);
            var pConversation = insert.Parameters.Add("@conversation", SqliteType.Text);
            var pParent = insert.Parameters.Add("@parent", SqliteType.Text);
            var pRole = insert.Parameters.Add("@role", SqliteType.Text);
            var pContent = insert.Parameters.Add("@content", SqliteType.Text);
            var pAt = insert.Parameters.Add("@at", SqliteType.Text);
            for (var n = batchStart; n < Math.Min(messageCount, batchStart + 50_000); n++)
            {
                var conversationIndex = (n / BlockSize * ConcurrentConversations) + (n % ConcurrentConversations);
                var turn = n % BlockSize / ConcurrentConversations;
                text.Clear();
                while (text.Length < 500)
                {
                    if (text.Length > 0)
                    {
                        text.Append(' ');
                    }

                    text.Append(vocabulary[sampler.Next()]);
                }

                pSeq.Value = n + 1;
                pId.Value = MessageId(n);
                pConversation.Value = ConversationId(conversationIndex);
                pParent.Value = turn == 0 ? DBNull.Value : MessageId(n - ConcurrentConversations);
                pRole.Value = turn % 2 == 0 ? "user" : "assistant";
                pContent.Value = text.ToString();
                pAt.Value = start.AddSeconds(n * 30L).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
            log.WriteLine($"corpus: {Math.Min(messageCount, batchStart + 50_000):N0} messages written ({clock.Elapsed.TotalSeconds:F0} s)");
        }

        await ExecuteAsync(connection, """
            UPDATE conversations SET active_message_id = last.id
            FROM (SELECT conversation_id, id FROM messages WHERE seq IN (SELECT max(seq) FROM messages GROUP BY conversation_id)) AS last
            WHERE last.conversation_id = conversations.id;
            UPDATE search_index_state SET deferred = 0;
            """);
        log.WriteLine($"corpus: indexing ({clock.Elapsed.TotalSeconds:F0} s)");
        await ExecuteAsync(connection, "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');");
        await ExecuteAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;");
        log.WriteLine($"corpus: done ({clock.Elapsed.TotalSeconds:F0} s, {new FileInfo(path).Length / 1e6:F0} MB)");
    }

    /// <summary>A source of message texts like the corpus's (about 500 bytes of Zipf-distributed words), from <paramref name="seed"/>.</summary>
    public static Func<string> CreateTextSource(int seed)
    {
        var sampler = new ZipfSampler(VocabularySize, new Random(seed));
        var vocabulary = Vocabulary;
        var text = new StringBuilder(600);
        return () =>
        {
            text.Clear();
            while (text.Length < 500)
            {
                if (text.Length > 0)
                {
                    text.Append(' ');
                }

                text.Append(vocabulary[sampler.Next()]);
            }

            return text.ToString();
        };
    }

    /// <summary>The id of the message with the given index (seq - 1): a fixed, sortable UUID-shaped text.</summary>
    public static string MessageId(int index) => $"00000000-0000-7000-9000-{index:D12}";

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    // Pronounceable words of 1–4 syllables; the most frequent words are the shortest, as in natural language.
    private static string[] BuildVocabulary()
    {
        const string consonants = "bcdfghjklmnprstvwz";
        const string vowels = "aeiou";
        var random = new Random(Seed + 1);
        var words = new List<string>(VocabularySize);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        while (words.Count < VocabularySize)
        {
            var syllables = words.Count < 100 ? 1 + random.Next(2) : words.Count < 5_000 ? 2 + random.Next(2) : 2 + random.Next(3);
            word.Clear();
            for (var s = 0; s < syllables; s++)
            {
                word.Append(consonants[random.Next(consonants.Length)]).Append(vowels[random.Next(vowels.Length)]);
                if (random.Next(3) == 0)
                {
                    word.Append(consonants[random.Next(consonants.Length)]);
                }
            }

            if (seen.Add(word.ToString()))
            {
                words.Add(word.ToString());
            }
        }

        return [.. words];
    }

    /// <summary>Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1), by binary search on the cumulative weights.</summary>
    private sealed class ZipfSampler(int n, Random random)
    {
        private readonly double[] _cumulative = Cumulative(n);

        public int Next()
        {
            var index = Array.BinarySearch(_cumulative, random.NextDouble() * _cumulative[^1]);
            return Math.Min(n - 1, index < 0 ? ~index : index);
        }

        private static double[] Cumulative(int n)
        {
            var cumulative = new double[n];
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += 1.0 / (i + 1);
                cumulative[i] = sum;
            }

            return cumulative;
        }
    }
}
