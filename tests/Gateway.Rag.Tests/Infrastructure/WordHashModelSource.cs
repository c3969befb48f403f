using Gateway.Core.Embeddings;
using Microsoft.Extensions.AI;

namespace Gateway.Rag.Tests.Infrastructure;

/// <summary>
/// A second embedding model for tests that need two of different dimensions: <see cref="Name"/> hashes each word of
/// its input to one of <see cref="Dimensions"/> components (a bag of words, the same vector for the same text every
/// time). <see cref="Hold"/> makes every call wait until <see cref="Release"/>, so a test can look at a job mid-way.
/// </summary>
internal sealed class WordHashModelSource : IEmbeddingModelSource
{
    public const string Name = "word-hash";

    public const int Dimensions = 64;

    private readonly Lock _gate = new();
    private TaskCompletionSource _released = Released();
    private TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inputs;

    /// <summary>How many texts it has embedded.</summary>
    public int Inputs => Volatile.Read(ref _inputs);

    /// <summary>Completes when a call arrives while held.</summary>
    public Task Called => _called.Task;

    public IReadOnlyList<EmbeddingModel> LoadModels() =>
        [new EmbeddingModel(new EmbeddingModelInfo(Name, Dimensions, 512, "test", "cpu", "memory"), new Generator(this))];

    /// <summary>Calls from now on wait for <see cref="Release"/> (or their cancellation).</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _released.TrySetResult();
        }
    }

    /// <summary>The model's vector of <paramref name="text"/>, not normalised.</summary>
    public static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in text.Split((char[])[' ', '\n', '\t', '.', ',', ';', ':', '!', '?', '(', ')', '#', '"'], StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = 17;
            foreach (var c in word.ToLowerInvariant())
            {
                hash = unchecked((hash * 31) + c);
            }

            vector[(hash & int.MaxValue) % Dimensions] += 1;
        }

        // An input of no words still has a direction.
        vector[0] += 0.01f;
        return vector;
    }

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }

    private sealed class Generator(WordHashModelSource source) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Task released;
            lock (source._gate)
            {
                released = source._released.Task;
                if (!released.IsCompleted)
                {
                    source._called.TrySetResult();
                }
            }

            await released.WaitAsync(cancellationToken);
            var inputs = values.ToArray();
            Interlocked.Add(ref source._inputs, inputs.Length);
            return [.. inputs.Select(text => new Embedding<float>(Embed(text)))];
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
