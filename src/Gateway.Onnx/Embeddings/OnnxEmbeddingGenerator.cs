using System.Buffers;
using System.Diagnostics;
using Gateway.Core.Embeddings;
using Gateway.Core.Errors;
using Gateway.Onnx.Embeddings.Internal;
using Gateway.Onnx.Internal;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Gateway.Onnx.Embeddings;

/// <summary>
/// Sentence embeddings from a local model folder on ONNX Runtime: <c>model.onnx</c> with a WordPiece (BERT)
/// tokenizer, pooled and normalised as the folder's sentence-transformers files say. Inputs are tokenised
/// with Microsoft.ML.Tokenizers, truncated at the model's token limit, sorted by length and run in batches
/// padded per batch, then returned in input order. One session per model, loaded once; thread-safe.
/// </summary>
public sealed partial class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string TokenTypeIds = "token_type_ids";

    /// <summary>Extra word pieces asked of the tokenizer past the limit, so a cut never falls short at a word boundary (BERT splits a word into at most 100 pieces).</summary>
    private const int TruncationSlack = 128;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly EmbeddingModelConfig _config;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _outputIsPooled;
    private readonly int _batchSize;
    private readonly int _maxBatchTokens;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private int _disposed;

    private OnnxEmbeddingGenerator(
        string name, EmbeddingModelConfig config, BertTokenizer tokenizer, OnnxSession session, OnnxEmbeddingModelOptions options)
    {
        Name = name;
        _config = config;
        _tokenizer = tokenizer;
        TokenSpans = new WordPieceTokenSpans(tokenizer);
        _session = session.Session;
        ExecutionProvider = session.ExecutionProvider;
        ExecutionProviderFallbackReason = session.FallbackReason;
        _batchSize = options.BatchSize;
        _maxBatchTokens = options.MaxBatchTokens;

        var inputs = _session.InputMetadata;
        foreach (var (input, metadata) in inputs)
        {
            if (input is not (InputIds or AttentionMask or TokenTypeIds))
            {
                throw EmbeddingModelFolder.Invalid(name, $"model.onnx needs an input '{input}'; a BERT-style embedding model takes input_ids, attention_mask and token_type_ids.");
            }

            if (metadata.ElementDataType != TensorElementType.Int64)
            {
                throw EmbeddingModelFolder.Invalid(name, $"model.onnx takes '{input}' as {metadata.ElementDataType}; expected int64.");
            }
        }

        if (!inputs.ContainsKey(InputIds))
        {
            throw EmbeddingModelFolder.Invalid(name, "model.onnx has no input_ids input.");
        }

        _inputNames = [.. new[] { InputIds, AttentionMask, TokenTypeIds }.Where(inputs.ContainsKey)];
        (var output, _outputIsPooled) = ChooseOutput(name, _session.OutputMetadata);
        _outputNames = [output];
        var dimensions = _session.OutputMetadata[output].Dimensions[^1];
        if (dimensions <= 0)
        {
            throw EmbeddingModelFolder.Invalid(name, $"model.onnx's output '{output}' has no fixed vector length.");
        }

        Dimensions = dimensions;
        Info = new EmbeddingModelInfo(name, Dimensions, MaxInputTokens, "onnx", ExecutionProvider, config.Folder);
        _metadata = new EmbeddingGeneratorMetadata("onnxruntime", new Uri(config.Folder), name, Dimensions);
    }

    /// <summary>The name requests use for this model.</summary>
    public string Name { get; }

    /// <summary>The model folder, full path.</summary>
    public string Folder => _config.Folder;

    /// <summary>The length of every vector.</summary>
    public int Dimensions { get; }

    /// <summary>The most tokens of one input, <c>[CLS]</c> and <c>[SEP]</c> included; longer inputs are truncated.</summary>
    public int MaxInputTokens => _config.MaxInputTokens;

    /// <summary>How token vectors become a sentence vector.</summary>
    public EmbeddingPooling Pooling => _config.Pooling;

    /// <summary>Whether vectors are L2-normalised (length 1).</summary>
    public bool Normalize => _config.Normalize;

    /// <summary>Where the model actually runs: <c>cpu</c> or <c>cuda</c>.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Why CUDA was requested but the model runs on the CPU; <see langword="null"/> when nothing fell back.</summary>
    public string? ExecutionProviderFallbackReason { get; }

    /// <summary>The model as the gateway's embedding registry lists it.</summary>
    public EmbeddingModelInfo Info { get; }

    /// <summary>The model's word pieces as spans of the caller's text, without <c>[CLS]</c> and <c>[SEP]</c>.</summary>
    internal IEmbeddingTokenizer TokenSpans { get; }

    /// <summary>Loads the model in <paramref name="folder"/> and runs it once, so a broken model fails here rather than on the first request.</summary>
    /// <param name="name">The name requests use for it.</param>
    /// <param name="folder">A folder with <c>model.onnx</c> and <c>vocab.txt</c> or a WordPiece <c>tokenizer.json</c>.</param>
    /// <param name="options">Overrides of the folder's own settings, and where and how to run; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Gets one line when loaded and one warning when CUDA falls back to the CPU.</param>
    /// <exception cref="GatewayException"><c>invalid_embedding_model</c>: the folder is missing, incomplete or not a model this can run.</exception>
    public static OnnxEmbeddingGenerator Load(string name, string folder, OnnxEmbeddingModelOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        options ??= new OnnxEmbeddingModelOptions();
        logger ??= NullLogger.Instance;
        var started = Stopwatch.GetTimestamp();

        var config = EmbeddingModelFolder.Read(name, folder, options);
        var tokenizer = WordPieceTokenizerFactory.Create(name, config);
        OnnxSession session;
        try
        {
            session = OnnxSessionFactory.Create(config.ModelPath, options.ExecutionProvider, () => CreateSessionOptions(options), name, logger);
        }
        catch (OnnxRuntimeException ex)
        {
            throw EmbeddingModelFolder.Invalid(name, $"ONNX Runtime cannot load '{config.ModelPath}': {ex.Message}");
        }

        OnnxEmbeddingGenerator? generator = null;
        try
        {
            generator = new OnnxEmbeddingGenerator(name, config, tokenizer, session, options);
            generator.Generate(["warm-up"], CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The generator owns the session once it exists; before that, the session is disposed alone.
            if (generator is null)
            {
                session.Session.Dispose();
                throw;
            }

            generator.Dispose();
            if (ex is OnnxRuntimeException)
            {
                throw EmbeddingModelFolder.Invalid(name, $"a first run of '{config.ModelPath}' failed: {ex.Message}");
            }

            throw;
        }

        LogLoaded(logger, name, config.Folder, generator.Dimensions, generator.MaxInputTokens, config.Pooling, generator.ExecutionProvider,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return generator;
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (options?.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw GatewayException.InvalidField(
                "dimensions", $"the model '{Name}' returns {Dimensions} dimensions and cannot shorten them; omit dimensions or ask for {Dimensions}.");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<GeneratedEmbeddings<Embedding<float>>>(cancellationToken);
        }

        try
        {
            return Task.FromResult(Generate(values as IReadOnlyList<string> ?? [.. values], cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<GeneratedEmbeddings<Embedding<float>>>(cancellationToken);
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType == typeof(EmbeddingModelInfo) ? Info
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _session.Dispose();
        }
    }

    /// <summary>The token ids the model reads for <paramref name="text"/>: <c>[CLS]</c>, the word pieces up to the limit, <c>[SEP]</c>.</summary>
    internal int[] Tokenize(string text)
    {
        var body = MaxInputTokens - 2;
        var pieces = _tokenizer.EncodeToIds(text, body + TruncationSlack, addSpecialTokens: false, out _, out _);
        var kept = Math.Min(body, pieces.Count);
        var ids = new int[kept + 2];
        ids[0] = _tokenizer.ClassificationTokenId;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[^1] = _tokenizer.SeparatorTokenId;
        return ids;
    }

    private GeneratedEmbeddings<Embedding<float>> Generate(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var tokens = new int[texts.Count][];
        long tokenCount = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = Tokenize(texts[i] ?? throw new ArgumentException($"Input {i} is null.", nameof(texts)));
            tokenCount += tokens[i].Length;
        }

        var vectors = new float[tokens.Length][];
        var order = EmbeddingBatchPlan.Order(tokens);
        using var runOptions = new RunOptions();

        // Cancelling stops a run in progress too: ONNX Runtime checks the terminate flag between nodes.
        using var stop = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        for (var start = 0; start < order.Length;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = EmbeddingBatchPlan.NextBatch(tokens, order, start, _batchSize, _maxBatchTokens);
            try
            {
                RunBatch(tokens, order.AsSpan(start, rows), vectors, runOptions);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            start += rows;
        }

        var embeddings = new GeneratedEmbeddings<Embedding<float>>(vectors.Length)
        {
            Usage = new UsageDetails { InputTokenCount = tokenCount, TotalTokenCount = tokenCount },
        };
        foreach (var vector in vectors)
        {
            embeddings.Add(new Embedding<float>(vector) { ModelId = Name });
        }

        return embeddings;
    }

    /// <summary>Runs one batch (rows in ascending length) over pooled buffers and writes each row's vector to its input's slot.</summary>
    private void RunBatch(int[][] tokens, ReadOnlySpan<int> rows, float[][] vectors, RunOptions runOptions)
    {
        var count = rows.Length;
        var width = tokens[rows[^1]].Length;
        var cells = count * width;
        var outputLength = _outputIsPooled ? count * Dimensions : cells * Dimensions;
        var ids = ArrayPool<long>.Shared.Rent(cells);
        var mask = ArrayPool<long>.Shared.Rent(cells);
        var types = ArrayPool<long>.Shared.Rent(cells);
        var output = ArrayPool<float>.Shared.Rent(outputLength);
        var values = new OrtValue[_inputNames.Length];
        try
        {
            var padding = (long)_tokenizer.PaddingTokenId;
            for (var row = 0; row < count; row++)
            {
                var source = tokens[rows[row]];
                var idRow = ids.AsSpan(row * width, width);
                var maskRow = mask.AsSpan(row * width, width);
                for (var i = 0; i < source.Length; i++)
                {
                    idRow[i] = source[i];
                }

                idRow[source.Length..].Fill(padding);
                maskRow[..source.Length].Fill(1);
                maskRow[source.Length..].Clear();
            }

            types.AsSpan(0, cells).Clear();
            long[] shape = [count, width];
            for (var i = 0; i < values.Length; i++)
            {
                var buffer = _inputNames[i] switch { InputIds => ids, AttentionMask => mask, _ => types };
                values[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, cells), shape);
            }

            long[] outputShape = _outputIsPooled ? [count, Dimensions] : [count, width, Dimensions];
            using (var result = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(0, outputLength), outputShape))
            {
                _session.Run(runOptions, _inputNames, values, _outputNames, [result]);
            }

            for (var row = 0; row < count; row++)
            {
                var vector = new float[Dimensions];
                if (_outputIsPooled)
                {
                    output.AsSpan(row * Dimensions, Dimensions).CopyTo(vector);
                    EmbeddingPooler.Finish(Normalize, vector);
                }
                else
                {
                    var length = tokens[rows[row]].Length;
                    EmbeddingPooler.Pool(output.AsSpan(row * width * Dimensions, length * Dimensions), length, Pooling, Normalize, vector);
                }

                vectors[rows[row]] = vector;
            }
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }

            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<long>.Shared.Return(mask);
            ArrayPool<long>.Shared.Return(types);
            ArrayPool<float>.Shared.Return(output);
        }
    }

    private static SessionOptions CreateSessionOptions(OnnxEmbeddingModelOptions options)
    {
        var session = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads > 0 ? options.IntraOpThreads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
        };
        options.ConfigureSession?.Invoke(session);
        return session;
    }

    /// <summary>The token-level output (pooled here), or failing that an already pooled <c>sentence_embedding</c>.</summary>
    private static (string Name, bool Pooled) ChooseOutput(string model, IReadOnlyDictionary<string, NodeMetadata> outputs)
    {
        foreach (var preferred in new[] { "last_hidden_state", "token_embeddings" })
        {
            if (outputs.TryGetValue(preferred, out var metadata) && metadata.Dimensions.Length == 3)
            {
                return (preferred, false);
            }
        }

        foreach (var (name, metadata) in outputs)
        {
            if (metadata.Dimensions.Length == 3 && metadata.ElementDataType == TensorElementType.Float)
            {
                return (name, false);
            }
        }

        return outputs.TryGetValue("sentence_embedding", out var pooled) && pooled.Dimensions.Length == 2
            ? ("sentence_embedding", true)
            : throw EmbeddingModelFolder.Invalid(
                model, $"model.onnx has no float output of shape [batch, tokens, dimensions] (outputs: {string.Join(", ", outputs.Keys)}).");
    }

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Embedding model '{Model}' loaded from {Folder}: {Dimensions} dimensions, {MaxTokens} tokens, {Pooling} pooling, on {ExecutionProvider} in {Milliseconds} ms")]
    private static partial void LogLoaded(
        ILogger logger, string model, string folder, int dimensions, int maxTokens, EmbeddingPooling pooling, string executionProvider, long milliseconds);
}
