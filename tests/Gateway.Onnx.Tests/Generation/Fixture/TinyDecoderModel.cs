using static Gateway.Onnx.Tests.Generation.Fixture.OnnxGraph;

namespace Gateway.Onnx.Tests.Generation.Fixture;

/// <summary>
/// A real pre-norm transformer decoder with a key/value cache, in the input/output layout ONNX Runtime
/// GenAI expects of a <c>llama</c>-type model whose past and present buffers are separate:
/// <c>input_ids</c>, <c>attention_mask</c>, <c>position_ids</c>, <c>past_key_values.N.key/value</c>
/// [batch, heads, past, head] in; <c>logits</c> [batch, seq, vocab] and <c>present.N.key/value</c>
/// [batch, heads, past + seq, head] out. Weights are random from a fixed seed.
/// </summary>
internal static class TinyDecoderModel
{
    public static byte[] Build(TinyDecoderSpec spec, ByteLevelBpeVocabulary vocabulary)
    {
        var random = new Random(spec.Seed);
        var g = new OnnxGraph();
        var vocab = vocabulary.Count;
        var hidden = spec.Hidden;

        var inputIds = g.Input("input_ids", Int64Type, "batch", "sequence");
        var attentionMask = g.Input("attention_mask", Int64Type, "batch", "total_sequence");
        var positionIds = g.Input("position_ids", Int64Type, "batch", "sequence");

        var zeroF = g.Scalar("zero_f", 0f);
        var oneF = g.Scalar("one_f", 1f);
        var minusBig = g.Scalar("minus_big", -1e9f);
        var zeroI = g.Scalar("zero_i", 0L);
        var oneI = g.Scalar("one_i", 1L);
        var axis0 = g.Int64s("axis_0", [0], 1);
        var axes12 = g.Int64s("axes_1_2", [1, 2], 2);
        var axes13 = g.Int64s("axes_1_3", [1, 3], 2);
        var splitHeads = g.Int64s("split_heads", [0, 0, spec.Heads, spec.HeadSize], 4);
        var joinHeads = g.Int64s("join_heads", [0, 0, hidden], 3);
        var scale = g.Scalar("attention_scale", 1f / MathF.Sqrt(spec.HeadSize));

        // Token and learned position embeddings.
        var tokens = g.Node("Gather", [g.Floats("embed_tokens", Normal(random, vocab * hidden, 1f), vocab, hidden), inputIds]);
        var positions = g.Node("Gather", [g.Floats("embed_positions", Normal(random, spec.ContextLength * hidden, 0.5f), spec.ContextLength, hidden), positionIds]);
        var x = g.Node("Add", [tokens, positions]);

        // Additive mask [batch, 1, seq, total]: -1e9 where the key is padding or lies after the query.
        var padding = g.Node("Mul", [g.Node("Sub", [oneF, g.Node("Cast", [attentionMask], null, NodeAttribute.Of("to", (long)FloatType))]), minusBig]);
        var paddingMask = g.Node("Unsqueeze", [padding, axes12]);
        var total = g.Node("Squeeze", [g.Node("Shape", [attentionMask], null, NodeAttribute.Of("start", 1L), NodeAttribute.Of("end", 2L)), axis0]);
        var keyPositions = g.Node("Range", [zeroI, total, oneI]);
        var queryPositions = g.Node("Unsqueeze", [positionIds, axes13]);
        var causalMask = g.Node("Where", [g.Node("Greater", [keyPositions, queryPositions]), minusBig, zeroF]);
        var mask = g.Node("Add", [causalMask, paddingMask]);

        for (var layer = 0; layer < spec.Layers; layer++)
        {
            var pastKey = g.Input($"past_key_values.{layer}.key", FloatType, "batch", spec.Heads, "past_sequence", spec.HeadSize);
            var pastValue = g.Input($"past_key_values.{layer}.value", FloatType, "batch", spec.Heads, "past_sequence", spec.HeadSize);
            var presentKey = $"present.{layer}.key";
            var presentValue = $"present.{layer}.value";

            var h = LayerNorm(g, random, x, hidden, $"l{layer}_attention_norm");
            string Heads(string name) => g.Node("Transpose", [g.Node("Reshape", [g.Node("MatMul", [h, Weight(g, random, $"l{layer}_{name}", hidden, hidden)]), splitHeads])], null, NodeAttribute.Of("perm", 0, 2, 1, 3));
            var q = Heads("q");
            g.Node("Concat", [pastKey, Heads("k")], presentKey, NodeAttribute.Of("axis", 2L));
            g.Node("Concat", [pastValue, Heads("v")], presentValue, NodeAttribute.Of("axis", 2L));

            var keysT = g.Node("Transpose", [presentKey], null, NodeAttribute.Of("perm", 0, 1, 3, 2));
            var scores = g.Node("Add", [g.Node("Mul", [g.Node("MatMul", [q, keysT]), scale]), mask]);
            var weights = g.Node("Softmax", [scores], null, NodeAttribute.Of("axis", -1L));
            var attended = g.Node("Reshape", [g.Node("Transpose", [g.Node("MatMul", [weights, presentValue])], null, NodeAttribute.Of("perm", 0, 2, 1, 3)), joinHeads]);
            x = g.Node("Add", [x, g.Node("MatMul", [attended, Weight(g, random, $"l{layer}_o", hidden, hidden)])]);

            var m = LayerNorm(g, random, x, hidden, $"l{layer}_mlp_norm");
            var up = g.Node("Relu", [g.Node("MatMul", [m, Weight(g, random, $"l{layer}_up", hidden, 4 * hidden)])]);
            x = g.Node("Add", [x, g.Node("MatMul", [up, Weight(g, random, $"l{layer}_down", 4 * hidden, hidden)])]);

            g.Output(presentKey, FloatType, "batch", spec.Heads, "total_sequence", spec.HeadSize);
            g.Output(presentValue, FloatType, "batch", spec.Heads, "total_sequence", spec.HeadSize);
        }

        // The output bias keeps the random model to lower-case letters and spaces, so its text is
        // plain ASCII, and sets how eager it is to end.
        var bias = new float[vocab];
        for (var id = 0; id < vocab; id++)
        {
            bias[id] = vocabulary.IsPlainText(id) ? 0f : -40f;
        }

        bias[vocabulary.IdOf(ByteLevelBpeVocabulary.EndOfText)] = spec.EndOfTextBias;
        var final = LayerNorm(g, random, x, hidden, "final_norm");
        var head = g.Floats("lm_head", Normal(random, hidden * vocab, 2f / MathF.Sqrt(hidden)), hidden, vocab);
        g.Node("Add", [g.Node("MatMul", [final, head]), g.Floats("lm_bias", bias, vocab)], "logits");
        g.Output("logits", FloatType, "batch", "sequence", vocab);
        return g.ToModelBytes($"tiny-decoder-{spec.Layers}x{spec.Hidden}", opset: 17);
    }

    private static string LayerNorm(OnnxGraph g, Random random, string x, int hidden, string name)
    {
        var gamma = g.Floats($"{name}_gamma", Normal(random, hidden, 0.1f).Select(v => 1f + v).ToArray(), hidden);
        var beta = g.Floats($"{name}_beta", Normal(random, hidden, 0.1f), hidden);
        return g.Node("LayerNormalization", [x, gamma, beta], null, NodeAttribute.Of("axis", -1L), NodeAttribute.Of("epsilon", 1e-5f));
    }

    private static string Weight(OnnxGraph g, Random random, string name, int rows, int columns) =>
        g.Floats(name, Normal(random, rows * columns, 1f / MathF.Sqrt(rows)), rows, columns);

    private static float[] Normal(Random random, int count, float std)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box–Muller: two uniforms give one standard normal.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2) * std);
        }

        return values;
    }
}
