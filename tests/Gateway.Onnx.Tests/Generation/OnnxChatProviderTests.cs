using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.Core.Errors;
using Gateway.Onnx.Generation;
using Gateway.Onnx.Tests.Generation.Fixture;
using Gateway.Onnx.Tests.Generation.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Gateway.Onnx.Tests.Generation.Infrastructure.Conversations;

namespace Gateway.Onnx.Tests.Generation;

/// <summary>Route validation, model loading, sharing, facts and the execution provider setting.</summary>
public sealed class OnnxChatProviderTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task Routes_FolderMissing_StartUpNamesTheRouteAndTheFolder()
    {
        var missing = Path.Combine(fixture.Root, "no-such-model");

        var error = await StartUpErrorAsync(missing);

        Assert.Contains("MODEL_ROUTE_TINY", error, StringComparison.Ordinal);
        Assert.Contains($"the model folder '{missing}' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_FolderWithoutGenAIConfig_StartUpSaysWhatIsMissing()
    {
        var folder = fixture.NewFolder("no-config");
        File.WriteAllText(Path.Combine(folder, "model.onnx"), "not a model");

        var error = await StartUpErrorAsync(folder);

        Assert.Contains("has no genai_config.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_GenAIConfigNotJson_StartUpSaysItCannotBeRead()
    {
        var folder = fixture.NewFolder("bad-config");
        File.WriteAllText(Path.Combine(folder, "genai_config.json"), "{ \"model\": ");

        var error = await StartUpErrorAsync(folder);

        Assert.Contains("genai_config.json cannot be read", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_GenAIConfigWithoutModelType_StartUpSaysWhatIsMissing()
    {
        var folder = fixture.NewFolder("typeless-config");
        File.WriteAllText(Path.Combine(folder, "genai_config.json"), """{ "model": { "decoder": {} } }""");

        var error = await StartUpErrorAsync(folder);

        Assert.Contains("no \"model\": { \"type\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_ValidFolder_RouteIsServedByTheOnnxProvider()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);

        var route = gateway.Route();

        Assert.Equal("onnx", route.Provider);
        Assert.Equal("tiny-model", route.Model);
    }

    [Fact]
    public async Task GetResponseAsync_ModelFileBroken_ModelLoadFailedUntilTheFolderIsFixed()
    {
        var folder = fixture.NewFolder("broken-model");
        TinyModelFolder.Write(folder, new TinyDecoderSpec());
        File.WriteAllText(Path.Combine(folder, "model.onnx"), "this is not an onnx model");
        await using var gateway = OnnxGatewayServices.Create(folder);
        using var client = gateway.CreateClient();

        var error = await Assert.ThrowsAsync<GatewayException>(() => client.GetResponseAsync(Hello, Greedy(3)));
        Assert.Equal(OnnxGenerationErrorCodes.ModelLoadFailed, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.UpstreamFailure, error.Kind);
        Assert.Contains("could not be loaded", error.Message, StringComparison.Ordinal);
        Assert.Contains(gateway.Logs.Lines, line => line.Level == LogLevel.Error && line.Message.Contains(folder, StringComparison.Ordinal));

        // A failed load is not remembered: once the folder is repaired the next request loads it.
        TinyModelFolder.Write(folder, new TinyDecoderSpec());
        var response = await client.GetResponseAsync(Hello, Greedy(3));
        Assert.Equal(3, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_RoutesNamingTheSameFolder_ShareOneLoadedModel()
    {
        await using var gateway = OnnxGatewayServices.Create(new Dictionary<string, string>
        {
            ["one"] = fixture.Standard,
            ["two"] = fixture.Standard + Path.DirectorySeparatorChar,
            ["other"] = fixture.EagerToStop,
        });

        var answers = await Task.WhenAll(
            gateway.CreateClient("one").GetResponseAsync(Hello, Greedy(8)),
            gateway.CreateClient("two").GetResponseAsync(Hello, Greedy(8)),
            gateway.CreateClient("one").GetResponseAsync(Hello, Greedy(8)));

        Assert.Equal(answers[0].Text, answers[1].Text);
        Assert.Single(gateway.Models.Loaded);
        Assert.Single(gateway.Logs.Lines, line => line.Message.StartsWith("Loaded ONNX model", StringComparison.Ordinal));
        Assert.Same(gateway.Models.TryGetLoaded(fixture.Standard), gateway.Models.TryGetLoaded(fixture.Standard + "/"));
        Assert.Null(gateway.Models.TryGetLoaded(fixture.EagerToStop));
    }

    [Fact]
    public async Task GetFactsAsync_ReadsTheArchitectureFromGenAIConfig()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();
        Assert.Null(client.GetService<OnnxModelFacts>());

        var facts = await gateway.Models.GetFactsAsync(fixture.Standard);

        Assert.Equal(
            new OnnxModelFacts(fixture.Standard, "llama", "cpu", 512, new ByteLevelBpeVocabulary().Count, 2, 32, 2, 2, 16, OnnxChatTemplateSource.Tokenizer),
            facts);
        Assert.Equal(facts, client.GetService<OnnxModelFacts>());
        var metadata = client.GetService<ChatClientMetadata>();
        Assert.Equal("onnx", metadata?.ProviderName);
        Assert.Equal("tiny-model", metadata?.DefaultModelId);
    }

    [Fact]
    public async Task RenderPrompt_TokenizerTemplate_IsTheModelsOwn()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        await gateway.Models.GetFactsAsync(fixture.Standard);

        var prompt = gateway.Models.TryGetLoaded(fixture.Standard)!.RenderPrompt(WithSystem);

        Assert.Equal("<|system|>\nanswer in one word<|end|>\n<|user|>\nis the earth round<|end|>\n<|assistant|>\n", prompt);
    }

    [Fact]
    public async Task RenderPrompt_NoTemplateInTheFolder_ChatMLFallbackSilently()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.WithoutTemplate);

        var facts = await gateway.Models.GetFactsAsync(fixture.WithoutTemplate);
        var prompt = gateway.Models.TryGetLoaded(fixture.WithoutTemplate)!.RenderPrompt(WithSystem);

        Assert.Equal(OnnxChatTemplateSource.ChatMLFallback, facts.ChatTemplate);
        Assert.Equal(
            "<|im_start|>system\nanswer in one word<|im_end|>\n<|im_start|>user\nis the earth round<|im_end|>\n<|im_start|>assistant\n",
            prompt);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task RenderPrompt_TemplateGenAICannotRender_ChatMLFallbackWithAWarning()
    {
        var folder = fixture.Write("odd-template", new TinyDecoderSpec(ChatTemplate: "{% for m in messages %}{{ m.content | no_such_filter }}{% endfor %}"));
        await using var gateway = OnnxGatewayServices.Create(folder);

        var facts = await gateway.Models.GetFactsAsync(folder);

        Assert.Equal(OnnxChatTemplateSource.ChatMLFallback, facts.ChatTemplate);
        Assert.Single(gateway.Logs.Lines, line => line.Level == LogLevel.Warning && line.Message.Contains("ChatML fallback", StringComparison.Ordinal));
        var response = await gateway.CreateClient().GetResponseAsync(Hello, Greedy(4));
        Assert.Equal(4, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task ExecutionProvider_CudaWithoutCuda_FallsBackToCpuWithOneWarning()
    {
        await using var gateway = OnnxGatewayServices.Create(
            fixture.Standard, new Dictionary<string, string?> { ["ONNX_EXECUTION_PROVIDER"] = "CUDA" });
        using var client = gateway.CreateClient();

        var response = await client.GetResponseAsync(Hello, Greedy(6));
        await client.GetResponseAsync(Hello, Greedy(6));

        Assert.Equal(6, response.Usage?.OutputTokenCount);
        Assert.Equal("cpu", (await gateway.Models.GetFactsAsync(fixture.Standard)).ExecutionProvider);
        Assert.Single(gateway.Logs.Lines, line => line.Level == LogLevel.Warning && line.Message.Contains("CUDA is not available", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecutionProvider_UnknownValue_StartUpNamesTheVariable()
    {
        await using var gateway = OnnxGatewayServices.Create(
            fixture.Standard, new Dictionary<string, string?> { ["ONNX_EXECUTION_PROVIDER"] = "tpu" });

        var error = Assert.Throws<OptionsValidationException>(() => gateway.Services.GetRequiredService<IOptions<OnnxGenerationOptions>>().Value);

        Assert.Contains("ONNX_EXECUTION_PROVIDER", error.Message, StringComparison.Ordinal);
        Assert.Contains("'tpu'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecutionProvider_Auto_TheSharedDefault_RunsOnTheCpuWithoutWarning()
    {
        await using var gateway = OnnxGatewayServices.Create(
            fixture.Standard, new Dictionary<string, string?> { ["ONNX_EXECUTION_PROVIDER"] = "AUTO" });

        var response = await gateway.CreateClient().GetResponseAsync(Hello, Greedy(3));

        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal("cpu", (await gateway.Models.GetFactsAsync(fixture.Standard)).ExecutionProvider);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Level >= LogLevel.Warning);
        await using var unset = OnnxGatewayServices.Create(fixture.Standard);
        Assert.Equal("auto", unset.Services.GetRequiredService<IOptions<OnnxGenerationOptions>>().Value.ExecutionProvider);
    }

    [Fact]
    public async Task ExecutionProvider_AppSettingsForm_IsReadAndEnvironmentWins()
    {
        await using var both = OnnxGatewayServices.Create(fixture.Standard, new Dictionary<string, string?>
        {
            ["Gateway:Onnx:ExecutionProvider"] = "cuda",
            ["ONNX_EXECUTION_PROVIDER"] = "cpu",
        });
        await using var section = OnnxGatewayServices.Create(fixture.Standard, new Dictionary<string, string?>
        {
            ["Gateway:Onnx:ExecutionProvider"] = "cuda",
        });

        Assert.Equal("cpu", both.Services.GetRequiredService<IOptions<OnnxGenerationOptions>>().Value.ExecutionProvider);
        Assert.Equal("cuda", section.Services.GetRequiredService<IOptions<OnnxGenerationOptions>>().Value.ExecutionProvider);
    }

    [Fact]
    public async Task AddOnnxGeneration_CalledTwice_RegistersTheProviderOnce()
    {
        var services = new ServiceCollection();
        services.AddGateway().AddOnnxGeneration().AddOnnxGeneration();
        await using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<Gateway.Core.Providers.IChatProvider>(), p => p.Name == "onnx");
    }

    [Fact]
    public async Task DisposeAsync_WhileAStreamHoldsTheModel_WaitsForItThenRefusesNewWork()
    {
        var gateway = OnnxGatewayServices.Create(fixture.Standard);
        var client = gateway.CreateClient();
        var models = gateway.Models;
        using var cancellation = new CancellationTokenSource();
        var stream = client.GetStreamingResponseAsync(Hello, Greedy(400), cancellation.Token).GetAsyncEnumerator(cancellation.Token);
        Assert.True(await stream.MoveNextAsync());

        var disposing = gateway.DisposeAsync().AsTask();
        await Task.Delay(100);
        Assert.False(disposing.IsCompleted);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await stream.MoveNextAsync())
            {
            }
        });
        await stream.DisposeAsync();
        await disposing.WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<ObjectDisposedException>(() => models.GetFactsAsync(fixture.Standard));
    }

    private async Task<string> StartUpErrorAsync(string folder)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await GatewayTestHost.StartAsync(
                new Dictionary<string, string?> { ["MODEL_ROUTE_TINY"] = $"onnx|{folder}|tiny" },
                gateway => gateway.AddOnnxGeneration());
        });
        return error.Message;
    }
}
