namespace ServerlessReco.Core.Content;

/// <summary>
/// Turns item texts into vectors whose cosine says how alike the items are: the content model. The core only knows
/// this interface; the pretrained transformer that implements it (ONNX Runtime) lives in ServerlessReco.Embeddings, so
/// serving and the core never load a neural network runtime.
/// </summary>
public interface IItemEmbedder
{
    /// <summary>The model's name, part of the embedding cache's name: vectors of different models never mix.</summary>
    string Name { get; }

    /// <summary>The length of each vector.</summary>
    int Dimensions { get; }

    /// <summary>One unit-length vector per text, in order. Slow (milliseconds per text): called at retrain time only.</summary>
    float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
