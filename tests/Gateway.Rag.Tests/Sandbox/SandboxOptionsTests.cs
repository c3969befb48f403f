using Gateway.Rag.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Rag.Tests.Sandbox;

/// <summary><c>AddFileSandbox()</c> binds <see cref="SandboxOptions"/> from <c>GATEWAY_SANDBOX_*</c> and <c>Gateway:Sandbox</c>, and checks every root.</summary>
public sealed class SandboxOptionsTests : IDisposable
{
    private readonly SandboxFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public void AddFileSandbox_NothingConfigured_HasNoRootsAndTheDocumentedDefaults()
    {
        var options = Options(new Dictionary<string, string?>());

        Assert.Empty(options.Roots);
        Assert.False(options.ShowDotfiles);
        Assert.Equal(10 * 1024 * 1024, options.MaxReadBytes);
        Assert.Equal(1024, options.MaxPathCharacters);
    }

    [Fact]
    public void AddFileSandbox_Variable_ReplacesTheSectionsRoots()
    {
        var options = Options(new Dictionary<string, string?>
        {
            ["Gateway:Sandbox:Roots:old"] = _folders.Outside,
            ["Gateway:Sandbox:MaxReadBytes"] = "2048",
            ["GATEWAY_SANDBOX_ROOTS"] = $" docs = {_folders.Root} ; out={_folders.Outside};",
            ["GATEWAY_SANDBOX_SHOW_DOTFILES"] = "yes",
            ["GATEWAY_SANDBOX_MAX_PATH_CHARS"] = "300",
        });

        Assert.Equal(new Dictionary<string, string> { ["docs"] = _folders.Root, ["out"] = _folders.Outside }, options.Roots.ToDictionary());
        Assert.True(options.ShowDotfiles);
        Assert.Equal(2048, options.MaxReadBytes);
        Assert.Equal(300, options.MaxPathCharacters);
    }

    [Fact]
    public void AddFileSandbox_Section_BindsRoots()
    {
        var options = Options(new Dictionary<string, string?> { ["Gateway:Sandbox:Roots:docs"] = _folders.Root });

        Assert.Equal(_folders.Root, options.Roots["DOCS"]);
    }

    [Fact]
    public void AddFileSandbox_BadRoots_EveryProblemNamesTheSetting()
    {
        var missing = Path.Join(_folders.Base, "no-such-folder");
        var error = Assert.Throws<OptionsValidationException>(() => Options(new Dictionary<string, string?>
        {
            ["GATEWAY_SANDBOX_ROOTS"] = $"gone={missing};-bad={_folders.Root};rel=docs/here;file={Path.Join(_folders.Outside, "secret.txt")}",
            ["GATEWAY_SANDBOX_MAX_READ_BYTES"] = "0",
            ["GATEWAY_SANDBOX_MAX_PATH_CHARS"] = "5",
        }));

        Assert.Equal(6, error.Failures.Count());
        Assert.All(error.Failures.Take(4), failure => Assert.StartsWith("GATEWAY_SANDBOX_ROOTS (Gateway:Sandbox:Roots:", failure, StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.Contains($"the folder '{missing}' does not exist", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.Contains("the root name '-bad' is not", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.Contains("expected the absolute path of a folder, got 'docs/here'", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.Contains("secret.txt' does not exist", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.StartsWith("GATEWAY_SANDBOX_MAX_READ_BYTES: expected", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.StartsWith("GATEWAY_SANDBOX_MAX_PATH_CHARS: expected a whole number from 16 to 4096, got 5", StringComparison.Ordinal));
    }

    [Fact]
    public void AddFileSandbox_RepeatedOrMalformedItems_AreReportedNamingTheVariable()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(new Dictionary<string, string?>
        {
            ["GATEWAY_SANDBOX_ROOTS"] = $"docs={_folders.Root};DOCS={_folders.Outside};just-a-path;a:b={_folders.Root}",
        }));

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains("GATEWAY_SANDBOX_ROOTS: the name 'DOCS' is given more than once (names ignore case).", error.Failures);
        Assert.Contains(error.Failures, failure => failure.StartsWith("GATEWAY_SANDBOX_ROOTS: expected <name>=<folder> items separated by ';'", StringComparison.Ordinal) && failure.EndsWith("got 'just-a-path'.", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.EndsWith($"got 'a:b={_folders.Root}'.", StringComparison.Ordinal));
    }

    [Fact]
    public void AddFileSandbox_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddGateway().AddFileSandbox().AddRag().AddFileSandbox();

        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(FileSandbox));
        Assert.Single(services, descriptor => descriptor.ImplementationType?.Name == "SandboxOptionsValidator");
    }

    private static SandboxOptions Options(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddGateway().AddFileSandbox();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SandboxOptions>>().Value;
    }
}
