using Gateway.Core.Embeddings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Onnx.Embeddings.Internal;

/// <summary>Loads the bundled model (unless turned off or replaced) and every <c>EMBEDDING_MODEL_&lt;NAME&gt;</c> folder.</summary>
internal sealed class OnnxEmbeddingModelSource(IOptions<OnnxEmbeddingOptions> options, ILoggerFactory loggers) : IEmbeddingModelSource
{
    public IReadOnlyList<EmbeddingModel> LoadModels()
    {
        var settings = options.Value;
        var logger = loggers.CreateLogger<OnnxEmbeddingGenerator>();
        var folders = new List<(string Name, string Folder)>();
        if (settings.IncludeBundledModel && !settings.Models.ContainsKey(BundledEmbeddingModel.Name))
        {
            folders.Add((BundledEmbeddingModel.Name, BundledEmbeddingModel.Folder));
        }

        folders.AddRange(settings.Models.Select(model => (model.Key, model.Value)));
        var models = new List<EmbeddingModel>(folders.Count);
        try
        {
            foreach (var (name, folder) in folders)
            {
                var generator = OnnxEmbeddingGenerator.Load(name, folder, settings.ToModelOptions(), logger);
                models.Add(new EmbeddingModel(generator.Info, generator) { Tokenizer = generator.TokenSpans });
            }
        }
        catch
        {
            foreach (var model in models)
            {
                model.Generator.Dispose();
            }

            throw;
        }

        return models;
    }
}
