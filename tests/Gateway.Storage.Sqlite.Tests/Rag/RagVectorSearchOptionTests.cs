using Gateway.Core.Vectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Sqlite.Tests.Rag;

/// <summary>A bad RAG vector search setting stops start-up with a message that names the setting (and its variable) and what it accepts.</summary>
public sealed class RagVectorSearchOptionTests
{
    [Theory]
    [InlineData(nameof(SqliteStorageOptions.RagHnswMinChunks), -1,
        "SqliteStorageOptions.RagHnswMinChunks: expected 0 (no HNSW indexes) or more (RAG_HNSW_MIN_CHUNKS), got -1.")]
    [InlineData(nameof(SqliteStorageOptions.RagVectorQuantization), 7,
        "SqliteStorageOptions.RagVectorQuantization: expected None, Int8 or Binary (RAG_VECTOR_QUANTIZATION), got 7.")]
    [InlineData(nameof(SqliteStorageOptions.RagRescoreOversampling), 0,
        "SqliteStorageOptions.RagRescoreOversampling: expected 1 to 100, or leave it unset for the default, got 0.")]
    [InlineData(nameof(SqliteStorageOptions.RagRescoreOversampling), 101,
        "SqliteStorageOptions.RagRescoreOversampling: expected 1 to 100, or leave it unset for the default, got 101.")]
    public void AddSqliteStorage_RagSettingOutOfRange_FailsNamingTheSettingAndTheFix(string setting, int value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(options =>
        {
            switch (setting)
            {
                case nameof(SqliteStorageOptions.RagHnswMinChunks): options.RagHnswMinChunks = value; break;
                case nameof(SqliteStorageOptions.RagVectorQuantization): options.RagVectorQuantization = (VectorQuantization)value; break;
                default: options.RagRescoreOversampling = value; break;
            }
        }));

        Assert.Equal([message], error.Failures);
    }

    [Fact]
    public void AddSqliteStorage_RagMirrorMaxBytesBelowOneMebibyte_FailsNamingTheSettingAndTheFix()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(options => options.RagMirrorMaxBytes = 1_000));

        Assert.Equal(["SqliteStorageOptions.RagMirrorMaxBytes: expected at least 1048576 (1 MiB), or leave it unset for 2 GiB, got 1000."], error.Failures);
    }

    [Fact]
    public void AddSqliteStorage_EveryRagSettingBad_ReportsThemAllAtOnce()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(options =>
            (options.RagHnswMinChunks, options.RagVectorQuantization, options.RagRescoreOversampling) = (-5, (VectorQuantization)9, 500)));

        Assert.Equal(3, error.Failures.Count());
    }

    [Theory]
    [InlineData(0, VectorQuantization.None, null)]
    [InlineData(1, VectorQuantization.Int8, 1)]
    [InlineData(1_000_000, VectorQuantization.Binary, 100)]
    public void AddSqliteStorage_RagSettingsInRange_AreAccepted(int minChunks, VectorQuantization quantization, int? oversampling)
    {
        var options = Options(options =>
            (options.RagHnswMinChunks, options.RagVectorQuantization, options.RagRescoreOversampling) = (minChunks, quantization, oversampling));

        Assert.Equal((minChunks, quantization, oversampling), (options.RagHnswMinChunks, options.RagVectorQuantization, options.RagRescoreOversampling));
    }

    [Theory]
    [InlineData("RAG_HNSW_MIN_CHUNKS", "lots", "RAG_HNSW_MIN_CHUNKS: expected a whole number, got 'lots'.")]
    [InlineData("RAG_HNSW_MIN_CHUNKS", "-3", "SqliteStorageOptions.RagHnswMinChunks: expected 0 (no HNSW indexes) or more (RAG_HNSW_MIN_CHUNKS), got -3.")]
    [InlineData("RAG_VECTOR_QUANTIZATION", "int4", "RAG_VECTOR_QUANTIZATION: expected none, int8 or binary, got 'int4'.")]
    [InlineData("Gateway:Sqlite:RagRescoreOversampling", "many", "Gateway:Sqlite:RagRescoreOversampling")]
    public void AddSqliteStorage_BadRagVariableOrKey_FailsNamingIt(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(configuration: new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(error.Failures, failure => failure.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void AddSqliteStorage_RagVariables_SetTheOptions()
    {
        var options = Options(configuration: new Dictionary<string, string?> { ["RAG_HNSW_MIN_CHUNKS"] = "1200", ["RAG_VECTOR_QUANTIZATION"] = "Binary" });

        Assert.Equal(1_200, options.RagHnswMinChunks);
        Assert.Equal(VectorQuantization.Binary, options.RagVectorQuantization);
    }

    private static SqliteStorageOptions Options(Action<SqliteStorageOptions>? configure = null, Dictionary<string, string?>? configuration = null)
    {
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration ?? []).Build())
            .AddGateway()
            .AddSqliteStorage(options =>
            {
                options.Path = "unused.db";
                configure?.Invoke(options);
            })
            .Services.BuildServiceProvider();

        // What the host runs before it starts anything: ValidateOnStart's checks.
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider.GetRequiredService<IOptions<SqliteStorageOptions>>().Value;
    }
}
