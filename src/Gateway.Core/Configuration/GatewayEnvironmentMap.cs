using Gateway.Core.Configuration.Internal;

namespace Gateway.Core.Configuration;

/// <summary>
/// How one package's flat environment variables (<c>SSE_HEARTBEAT_SECONDS</c>, <c>EMBEDDING_MODEL_&lt;NAME&gt;</c>, …)
/// map onto the configuration keys its options bind from (<c>Gateway:Http:SseHeartbeatSeconds</c>, …).
/// Each package registers its own map with <c>MapEnvironmentVariables(…)</c> on the gateway builder; one
/// configuration source applies every map over the <c>Gateway</c> section, the variables winning, and
/// options bind from the result with <c>BindGatewayConfiguration(…)</c>. A variable is read from the root
/// of the application's <c>IConfiguration</c>, so the environment, command-line arguments and top-level
/// keys of <c>appsettings.json</c> all work. A value that cannot be read is reported at start-up, naming
/// the variable, with every other problem.
/// </summary>
public sealed class GatewayEnvironmentMap
{
    private readonly List<EnvironmentRule> _rules = [];

    internal IReadOnlyList<EnvironmentRule> Rules => _rules;

    /// <summary>Copies the text of <paramref name="variable"/> (trimmed) to <paramref name="key"/> when it is set and not empty.</summary>
    /// <param name="variable">The flat name, e.g. <c>METRICS_PATH</c>.</param>
    /// <param name="key">The configuration key it stands for, e.g. <c>Gateway:Http:MetricsPath</c>.</param>
    public GatewayEnvironmentMap Text(string variable, string key) => Add(new TextRule(variable, key));

    /// <summary>Copies a whole number when <paramref name="variable"/> is set and not empty; anything else is reported as a problem naming the variable.</summary>
    /// <param name="variable">The flat name, e.g. <c>SSE_HEARTBEAT_SECONDS</c>.</param>
    /// <param name="key">The configuration key it stands for.</param>
    public GatewayEnvironmentMap Number(string variable, string key) => Add(new NumberRule(variable, key));

    /// <summary>Copies a boolean written <c>true</c>/<c>false</c>, <c>1</c>/<c>0</c> or <c>yes</c>/<c>no</c> (any case); anything else is reported.</summary>
    /// <param name="variable">The flat name, e.g. <c>USE_REDIS</c>.</param>
    /// <param name="key">The configuration key it stands for.</param>
    public GatewayEnvironmentMap Flag(string variable, string key) => Add(new FlagRule(variable, key));

    /// <summary>Copies one of <paramref name="values"/> (any case); anything else is reported, listing them.</summary>
    /// <param name="variable">The flat name, e.g. <c>ONNX_EXECUTION_PROVIDER</c>.</param>
    /// <param name="key">The configuration key it stands for.</param>
    /// <param name="values">The accepted values.</param>
    public GatewayEnvironmentMap OneOf(string variable, string key, params string[] values) => Add(new OneOfRule(variable, key, values));

    /// <summary>
    /// Replaces the whole list under <paramref name="key"/> with the comma-separated items of
    /// <paramref name="variable"/> whenever the variable exists, even empty (which empties the list).
    /// </summary>
    /// <param name="variable">The flat name, e.g. <c>GATEWAY_API_KEYS</c>.</param>
    /// <param name="key">The configuration key of the list, e.g. <c>Gateway:Http:ApiKeys</c>.</param>
    public GatewayEnvironmentMap List(string variable, string key) => Add(new ListRule(variable, key));

    /// <summary>
    /// Replaces the whole dictionary under <paramref name="key"/> with the <c>name=value</c> items of
    /// <paramref name="variable"/>, separated by <c>;</c>, whenever the variable exists, even empty (which
    /// empties the dictionary), e.g. <c>GATEWAY_SANDBOX_ROOTS=docs=/srv/docs;notes=/home/me/notes</c> to
    /// <c>Gateway:Sandbox:Roots:docs</c> and <c>…:notes</c>. An item without a name or a value, a name with
    /// <c>:</c>, or a name given twice (ignoring case) is reported.
    /// </summary>
    /// <param name="variable">The flat name, e.g. <c>GATEWAY_SANDBOX_ROOTS</c>.</param>
    /// <param name="key">The configuration key of the dictionary, e.g. <c>Gateway:Sandbox:Roots</c>.</param>
    /// <param name="valueName">What a value is, for the problem message, e.g. <c>folder</c>.</param>
    public GatewayEnvironmentMap Pairs(string variable, string key, string valueName) => Add(new PairsRule(variable, key, valueName));

    /// <summary>
    /// Maps every variable <c>&lt;prefix&gt;&lt;NAME&gt;</c> to <c>&lt;key&gt;:&lt;NAME&gt;</c>, e.g.
    /// <c>EMBEDDING_MODEL_MINE</c> to <c>Gateway:Embeddings:Models:MINE</c>; a variable with no name or an
    /// empty value is reported.
    /// </summary>
    /// <param name="prefix">The variables' common beginning, e.g. <c>EMBEDDING_MODEL_</c>.</param>
    /// <param name="key">The configuration key of the dictionary, e.g. <c>Gateway:Embeddings:Models</c>.</param>
    /// <param name="valueName">What the value is, for the problem message, e.g. <c>model folder</c>.</param>
    public GatewayEnvironmentMap Prefix(string prefix, string key, string valueName) => Add(new PrefixRule(prefix, key, valueName));

    /// <summary>
    /// Copies the value under <paramref name="from"/> (from the section or a variable mapped before) to
    /// <paramref name="to"/>, for a package-wide setting that one options object reads in its own section.
    /// </summary>
    /// <param name="from">The package-wide key, e.g. <c>Gateway:Onnx:ExecutionProvider</c>.</param>
    /// <param name="to">The key that takes it, e.g. <c>Gateway:Embeddings:ExecutionProvider</c>.</param>
    public GatewayEnvironmentMap Copy(string from, string to) => Add(new CopyRule(from, to));

    internal GatewayEnvironmentMap Add(EnvironmentRule rule)
    {
        _rules.Add(rule);
        return this;
    }
}
