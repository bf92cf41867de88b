namespace ServerlessReco.Core.Content;

/// <summary>How compactly the item vectors are kept in the model artifact (chosen on the cold-item benchmark, see docs/content-model.md).</summary>
public sealed record ContentOptions
{
    /// <summary>Principal directions kept (the model's own 384 are projected onto them); 0 keeps the model's vectors as they are.</summary>
    public int Dimensions { get; init; } = 128;

    /// <summary>8-bit codes with one scale per item (a quarter of the size of floats) instead of 32-bit floats.</summary>
    public bool EightBit { get; init; } = true;

    /// <summary>
    /// How long one retrain may spend embedding. When it runs out, the model is published with the vectors there are
    /// and later runs embed the rest (a first retrain of a large catalogue takes several runs, each well inside the
    /// Functions timeout). At least one <see cref="EmbeddingBatch"/> is embedded per run, so every run makes progress.
    /// </summary>
    public TimeSpan EmbeddingBudget { get; init; } = TimeSpan.FromSeconds(240);

    /// <summary>Texts handed to the embedder at once; the budget is checked between batches.</summary>
    public int EmbeddingBatch { get; init; } = 256;

    /// <summary>How often what was embedded is saved as a cache chunk while a run embeds, so a killed run keeps its work.</summary>
    public TimeSpan EmbeddingSaveInterval { get; init; } = TimeSpan.FromSeconds(30);
}
