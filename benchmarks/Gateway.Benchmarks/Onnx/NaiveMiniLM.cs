using Gateway.Onnx.Embeddings;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Gateway.Benchmarks.Onnx;

/// <summary>
/// The straightforward path a first attempt takes: default session options, one sentence per run,
/// fresh <see cref="DenseTensor{T}"/> inputs and <see cref="NamedOnnxValue"/>s, ORT-allocated outputs,
/// mean pooling and L2 in plain loops. The baseline the tuned, batched generator is judged against.
/// </summary>
internal sealed class NaiveMiniLM : IDisposable
{
    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;

    public NaiveMiniLM()
    {
        var options = new SessionOptions();
        if (EmbeddingBench.Provider == Gateway.Onnx.OnnxExecutionProvider.Cuda)
        {
            options.AppendExecutionProvider_CUDA(0);
        }

        _session = new InferenceSession(Path.Combine(BundledEmbeddingModel.Folder, "model.onnx"), options);
        _tokenizer = BertTokenizer.Create(Path.Combine(BundledEmbeddingModel.Folder, "vocab.txt"));
    }

    public float[] Embed(string text)
    {
        var ids = _tokenizer.EncodeToIds(text).Select(id => (long)id).ToArray();
        var length = ids.Length;
        int[] shape = [1, length];
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(Enumerable.Repeat(1L, length).ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(new long[length], shape)),
        };
        using var outputs = _session.Run(inputs);
        var hidden = outputs.First(output => output.Name == "last_hidden_state").AsTensor<float>();
        var dimensions = hidden.Dimensions[2];
        var vector = new float[dimensions];
        for (var token = 0; token < length; token++)
        {
            for (var d = 0; d < dimensions; d++)
            {
                vector[d] += hidden[0, token, d] / length;
            }
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (var d = 0; d < dimensions; d++)
        {
            vector[d] /= norm;
        }

        return vector;
    }

    public void Dispose() => _session.Dispose();
}
