namespace ServerlessReco.Lab.Benchmarks;

/// <summary>
/// The 32-bit Mersenne Twister (MT19937) seeded the way numpy's legacy <c>np.random.seed(int)</c> seeds it,
/// with doubles built as numpy builds them (53 bits from two draws), so that a split made here is the
/// split Microsoft Recommenders makes. Seed 42 gives 0.3745401188473625 first.
/// </summary>
public sealed class MersenneTwister
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908b0dfu;
    private const uint UpperMask = 0x80000000u;
    private const uint LowerMask = 0x7fffffffu;

    private readonly uint[] _state = new uint[N];
    private int _index;

    public MersenneTwister(uint seed)
    {
        _state[0] = seed;
        for (var i = 1; i < N; i++)
        {
            _state[i] = unchecked((1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30))) + (uint)i);
        }

        _index = N;
    }

    /// <summary>The next 32-bit output (genrand_int32).</summary>
    public uint NextUInt32()
    {
        if (_index >= N)
        {
            Twist();
        }

        var y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A uniform double in [0, 1) from two outputs a, b: ((a &gt;&gt; 5) * 2^26 + (b &gt;&gt; 6)) / 2^53.</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    private void Twist()
    {
        for (var i = 0; i < N; i++)
        {
            var y = (_state[i] & UpperMask) | (_state[(i + 1) % N] & LowerMask);
            var next = _state[(i + M) % N] ^ (y >> 1);
            if ((y & 1) != 0)
            {
                next ^= MatrixA;
            }

            _state[i] = next;
        }

        _index = 0;
    }
}
