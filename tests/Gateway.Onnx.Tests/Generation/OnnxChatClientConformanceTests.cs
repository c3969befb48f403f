using Gateway.AI.Conformance;
using Gateway.Onnx.Tests.Generation.Fixture;
using Gateway.Onnx.Tests.Generation.Infrastructure;
using Microsoft.Extensions.AI;

namespace Gateway.Onnx.Tests.Generation;

/// <summary>
/// The <c>onnx</c> provider's chat client on the real GenAI engine with the tiny fixture model: the standard model
/// answers (and runs long enough to cancel), the 48-token-context model cannot take the suite's long request. The
/// model runs in this process, so no options cross a wire: the suite checks them by their effect.
/// </summary>
public sealed class OnnxChatClientConformanceTests(TinyModelFixture fixture) : ChatClientConformanceTests, IClassFixture<TinyModelFixture>, IAsyncLifetime
{
    private readonly List<OnnxGatewayServices> _gateways = [];

    protected override string ProviderName => "onnx";

    protected override string ModelId => "tiny-model";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }
    }

    protected override Task<IChatClient> CreateClientAsync(ChatScenario scenario)
    {
        var gateway = OnnxGatewayServices.Create(scenario == ChatScenario.Fails ? fixture.ShortContext : fixture.Standard);
        _gateways.Add(gateway);
        return Task.FromResult(gateway.CreateClient());
    }

    protected override SentChatOptions? ReadLastSentOptions() => null;
}
