using System.Runtime.InteropServices;

namespace Gateway.Onnx.Tests.Generation.Fixture;

/// <summary>
/// Builds an ONNX <c>ModelProto</c> (one graph, default domain) node by node and serialises it with
/// <see cref="ProtoWriter"/>. Field numbers are those of onnx/onnx.proto.
/// </summary>
internal sealed class OnnxGraph
{
    public const int FloatType = 1;
    public const int Int64Type = 7;

    private readonly List<ProtoWriter> _nodes = [];
    private readonly List<ProtoWriter> _initializers = [];
    private readonly List<ProtoWriter> _inputs = [];
    private readonly List<ProtoWriter> _outputs = [];
    private int _nextName;

    /// <summary>Declares a graph input; a dimension is a number or a symbolic name.</summary>
    public string Input(string name, int elementType, params object[] shape)
    {
        _inputs.Add(ValueInfo(name, elementType, shape));
        return name;
    }

    /// <summary>Declares a graph output produced by some node.</summary>
    public void Output(string name, int elementType, params object[] shape) => _outputs.Add(ValueInfo(name, elementType, shape));

    public string Floats(string name, float[] values, params long[] dims) =>
        Initializer(name, FloatType, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public string Int64s(string name, long[] values, params long[] dims) =>
        Initializer(name, Int64Type, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public string Scalar(string name, float value) => Floats(name, [value]);

    public string Scalar(string name, long value) => Int64s(name, [value]);

    /// <summary>Adds a node with one output and returns the output's name (<paramref name="output"/> or a fresh one).</summary>
    public string Node(string opType, string[] inputs, string? output = null, params NodeAttribute[] attributes)
    {
        output ??= $"t{_nextName++}";
        var node = new ProtoWriter();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }

        node.String(2, output).String(3, $"{opType}_{_nodes.Count}").String(4, opType);
        foreach (var attribute in attributes)
        {
            node.Message(5, attribute.ToProto());
        }

        _nodes.Add(node);
        return output;
    }

    public byte[] ToModelBytes(string graphName, int opset)
    {
        var graph = new ProtoWriter();
        foreach (var node in _nodes)
        {
            graph.Message(1, node);
        }

        graph.String(2, graphName);
        foreach (var initializer in _initializers)
        {
            graph.Message(5, initializer);
        }

        foreach (var input in _inputs)
        {
            graph.Message(11, input);
        }

        foreach (var output in _outputs)
        {
            graph.Message(12, output);
        }

        return new ProtoWriter()
            .Int64(1, 8) // IR version 8 goes with opset 17.
            .String(2, "Gateway.Onnx.Tests")
            .Message(7, graph)
            .Message(8, new ProtoWriter().String(1, string.Empty).Int64(2, opset))
            .ToArray();
    }

    private string Initializer(string name, int elementType, ReadOnlySpan<byte> data, long[] dims)
    {
        var tensor = new ProtoWriter();
        foreach (var dim in dims)
        {
            tensor.Int64(1, dim);
        }

        tensor.Int64(2, elementType).String(8, name).Bytes(9, data);
        _initializers.Add(tensor);
        return name;
    }

    private static ProtoWriter ValueInfo(string name, int elementType, object[] shape)
    {
        var tensorShape = new ProtoWriter();
        foreach (var dim in shape)
        {
            tensorShape.Message(1, dim switch
            {
                string symbol => new ProtoWriter().String(2, symbol),
                int value => new ProtoWriter().Int64(1, value),
                long value => new ProtoWriter().Int64(1, value),
                _ => throw new ArgumentException($"A dimension is a number or a name, not {dim}.", nameof(shape)),
            });
        }

        var tensorType = new ProtoWriter().Int64(1, elementType).Message(2, tensorShape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
    }
}

/// <summary>A node attribute: an int, a float or a list of ints.</summary>
internal sealed record NodeAttribute(string Name, long? Int = null, float? Float = null, long[]? Ints = null)
{
    public static NodeAttribute Of(string name, long value) => new(name, Int: value);

    public static NodeAttribute Of(string name, float value) => new(name, Float: value);

    public static NodeAttribute Of(string name, params long[] values) => new(name, Ints: values);

    public ProtoWriter ToProto()
    {
        var attribute = new ProtoWriter().String(1, Name);
        if (Int is long i)
        {
            attribute.Int64(3, i).Int64(20, 2);
        }
        else if (Float is float f)
        {
            attribute.Float(2, f).Int64(20, 1);
        }
        else
        {
            foreach (var value in Ints!)
            {
                attribute.Int64(8, value);
            }

            attribute.Int64(20, 7);
        }

        return attribute;
    }
}
