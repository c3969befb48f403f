namespace Gateway.Onnx.Tests.Generation.Fixture;

/// <summary>
/// Writes the fixture model folders for one test class into a fresh temporary folder and deletes
/// them afterwards: the standard tiny model, one that ends its answer at once, one without a chat
/// template, and one with a short context.
/// </summary>
public sealed class TinyModelFixture : IDisposable
{
    public TinyModelFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "gateway-onnx-gen-" + Guid.NewGuid().ToString("N"));
        Standard = Write("standard", new TinyDecoderSpec());
        EagerToStop = Write("eager-to-stop", new TinyDecoderSpec(EndOfTextBias: 40f));
        WithoutTemplate = Write("without-template", new TinyDecoderSpec(ChatTemplate: null));
        ShortContext = Write("short-context", new TinyDecoderSpec(ContextLength: 48));
    }

    public string Root { get; }

    /// <summary>Two layers, context 512, Phi-3 chat template; never emits end-of-text, so it runs to the token limit.</summary>
    public string Standard { get; }

    /// <summary>Like <see cref="Standard"/> but end-of-text is by far the likeliest token.</summary>
    public string EagerToStop { get; }

    /// <summary>Like <see cref="Standard"/> but tokenizer_config.json has no chat_template.</summary>
    public string WithoutTemplate { get; }

    /// <summary>Like <see cref="Standard"/> with a 48-token context.</summary>
    public string ShortContext { get; }

    /// <summary>A new folder under <see cref="Root"/>, deleted with it.</summary>
    public string NewFolder(string name)
    {
        var folder = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public string Write(string name, TinyDecoderSpec spec)
    {
        var folder = NewFolder(name);
        TinyModelFolder.Write(folder, spec);
        return folder;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
