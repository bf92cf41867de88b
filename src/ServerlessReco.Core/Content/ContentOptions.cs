namespace ServerlessReco.Core.Content;

/// <summary>How compactly the item vectors are kept in the model artifact (chosen on the cold-item benchmark, see docs/content-model.md).</summary>
public sealed record ContentOptions
{
    /// <summary>Principal directions kept (the model's own 384 are projected onto them); 0 keeps the model's vectors as they are.</summary>
    public int Dimensions { get; init; } = 128;

    /// <summary>8-bit codes with one scale per item (a quarter of the size of floats) instead of 32-bit floats.</summary>
    public bool EightBit { get; init; } = true;
}
