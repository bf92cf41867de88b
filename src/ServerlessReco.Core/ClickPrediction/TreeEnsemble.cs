namespace ServerlessReco.Core.ClickPrediction;

/// <summary>
/// One regression tree of a boosted ensemble, as plain arrays: internal node n sends a row left when its value of
/// feature <see cref="Features"/>[n] is at most <see cref="Thresholds"/>[n]; a child below 0 is the leaf ~child.
/// </summary>
public sealed record RegressionTreeNodes(int[] Left, int[] Right, int[] Features, float[] Thresholds, double[] Leaves);

/// <summary>
/// A boosted tree ensemble in plain C#: trained by LightGBM at retrain, evaluated here at serving, so the serving path
/// needs no machine-learning runtime and scores a candidate in a few hundred comparisons.
/// </summary>
public sealed class TreeEnsemble(IReadOnlyList<RegressionTreeNodes> trees, double bias, int features)
{
    public IReadOnlyList<RegressionTreeNodes> Trees { get; } = trees;

    public double Bias { get; } = bias;

    /// <summary>How many features a row has.</summary>
    public int Features { get; } = features;

    /// <summary>The ensemble's raw score (log-odds before calibration) of one row.</summary>
    public double Score(ReadOnlySpan<float> row)
    {
        var sum = Bias;
        foreach (var tree in Trees)
        {
            if (tree.Leaves.Length == 1 && tree.Left.Length == 0)
            {
                sum += tree.Leaves[0];
                continue;
            }

            var node = 0;
            while (node >= 0)
            {
                node = row[tree.Features[node]] <= tree.Thresholds[node] ? tree.Left[node] : tree.Right[node];
            }

            sum += tree.Leaves[~node];
        }

        return sum;
    }

    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Features);
        writer.Write(Bias);
        writer.Write(Trees.Count);
        foreach (var tree in Trees)
        {
            writer.Write(tree.Left.Length);
            for (var n = 0; n < tree.Left.Length; n++)
            {
                writer.Write(tree.Left[n]);
                writer.Write(tree.Right[n]);
                writer.Write(tree.Features[n]);
                writer.Write(tree.Thresholds[n]);
            }

            writer.Write(tree.Leaves.Length);
            foreach (var leaf in tree.Leaves)
            {
                writer.Write(leaf);
            }
        }
    }

    /// <summary>Reads an ensemble, checking every index against the shapes it declares so a damaged file is refused, never followed.</summary>
    public static TreeEnsemble Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var features = reader.ReadInt32();
        var bias = reader.ReadDouble();
        var count = Checked(reader.ReadInt32(), 100_000, "trees");
        var trees = new List<RegressionTreeNodes>(count);
        for (var t = 0; t < count; t++)
        {
            var nodes = Checked(reader.ReadInt32(), 1 << 20, "nodes");
            var (left, right, feature, threshold) = (new int[nodes], new int[nodes], new int[nodes], new float[nodes]);
            for (var n = 0; n < nodes; n++)
            {
                (left[n], right[n], feature[n], threshold[n]) = (reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadSingle());
            }

            var leaves = new double[Checked(reader.ReadInt32(), (1 << 20) + 1, "leaves")];
            for (var l = 0; l < leaves.Length; l++)
            {
                leaves[l] = reader.ReadDouble();
            }

            var tree = new RegressionTreeNodes(left, right, feature, threshold, leaves);
            Validate(tree, features);
            trees.Add(tree);
        }

        return new TreeEnsemble(trees, bias, features);
    }

    private static void Validate(RegressionTreeNodes tree, int features)
    {
        for (var n = 0; n < tree.Left.Length; n++)
        {
            foreach (var child in (ReadOnlySpan<int>)[tree.Left[n], tree.Right[n]])
            {
                // Children point forward (LightGBM numbers nodes parents first), so evaluation always ends.
                if (child >= 0 ? child <= n || child >= tree.Left.Length : ~child >= tree.Leaves.Length)
                {
                    throw new InvalidDataException($"A click-model tree has a child {child} that is not a later node or a leaf.");
                }
            }

            if (tree.Features[n] < 0 || tree.Features[n] >= features)
            {
                throw new InvalidDataException($"A click-model tree splits on feature {tree.Features[n]} of {features}.");
            }
        }
    }

    private static int Checked(int value, int max, string what) =>
        value >= 0 && value <= max ? value : throw new InvalidDataException($"A click model declares {value} {what}.");
}
