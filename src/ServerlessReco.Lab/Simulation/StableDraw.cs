namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// Uniform numbers named by what they decide (seed, round, request, item, purpose) rather than drawn in sequence:
/// "would this shopper click this item in this request" gets the same answer under every policy that shows it
/// (common random numbers), so differences between policies are not drowned by click noise. string.GetHashCode is
/// randomised per process, hence FNV-1a and SplitMix64.
/// </summary>
internal static class StableDraw
{
    public static double Uniform(int seed, int round, int request, string itemId, int purpose)
    {
        var h = 14695981039346656037UL;
        foreach (var c in itemId)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        h = Mix(h ^ (ulong)(uint)seed);
        h = Mix(h ^ ((ulong)(uint)round << 20) ^ (uint)request);
        h = Mix(h ^ (ulong)(uint)purpose);
        return (h >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
