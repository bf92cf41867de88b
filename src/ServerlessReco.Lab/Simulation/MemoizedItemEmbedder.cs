using System.Collections.Concurrent;
using ServerlessReco.Core.Content;

namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// A content model that remembers every text it embedded, for the life of the process: each simulated run retrains over
/// fresh stores (an empty embedding cache), and without this every run and seed would push the same 1,682 titles
/// through the transformer again. Vectors are those of <paramref name="inner"/>, unchanged.
/// </summary>
public sealed class MemoizedItemEmbedder(IItemEmbedder inner) : IItemEmbedder
{
    private readonly ConcurrentDictionary<string, float[]> _vectors = new(StringComparer.Ordinal);

    public string Name => inner.Name;

    public int Dimensions => inner.Dimensions;

    /// <summary>How many texts went through the inner model so far.</summary>
    public int Embedded => _vectors.Count;

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var missing = texts.Where(t => !_vectors.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            var vectors = inner.Embed(missing, cancellationToken);
            for (var i = 0; i < missing.Length; i++)
            {
                _vectors.TryAdd(missing[i], vectors[i]);
            }
        }

        return [.. texts.Select(t => _vectors[t])];
    }
}
