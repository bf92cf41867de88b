namespace ServerlessReco.Core.Hashing;

/// <summary>
/// FNV-1a over a string's characters: the same number in every process and on every machine, where
/// <see cref="string.GetHashCode()"/> differs from one process to the next. For orders and draws that must not depend on
/// the run (ties between items, a generated shop's item qualities), not for anything an attacker could choose.
/// </summary>
public static class StableHash
{
    public static uint Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
