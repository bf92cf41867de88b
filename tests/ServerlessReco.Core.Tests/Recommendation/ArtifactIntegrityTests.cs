using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Tests.Recommendation;

/// <summary>A model file carries a SHA-256 of its bytes and the shapes of its arrays, and one that fails either is refused at load.</summary>
public sealed class ArtifactIntegrityTests
{
    [Theory]
    [InlineData("ease")]
    [InlineData("sar")]
    [InlineData("sequence")]
    public async Task ASavedModelDeclaresItsArrayShapesAndLoads(string kind)
    {
        var artifact = await ModelArtifactTests.Shop.Train(kind);
        var bytes = Save(artifact);

        var loaded = ModelArtifact.Load(new MemoryStream(bytes));

        var shapes = loaded.Manifest.Shapes!;
        Assert.Equal(artifact.Model.Items.Count, shapes["items"]);
        Assert.Equal(artifact.ItemPopularity.Length, shapes["popularity"]);
        Assert.Equal(ArtifactIntegrity.ShapesOf(artifact), shapes);
        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, bytes.Length - ArtifactIntegrity.HashBytes)), bytes[^ArtifactIntegrity.HashBytes..]);
    }

    [Fact]
    public async Task AFileWithOneByteChangedIsRefusedByItsChecksum()
    {
        var bytes = Save(await ModelArtifactTests.Shop.Train("ease"));
        bytes[bytes.Length - ArtifactIntegrity.HashBytes - 9] ^= 0x40; // a weight, deep in the body: the file still parses

        var refusal = Assert.Throws<InvalidDataException>(() => ModelArtifact.Load(new MemoryStream(bytes)));

        Assert.Contains("SHA-256 does not match", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATruncatedFileIsRefused()
    {
        var bytes = Save(await ModelArtifactTests.Shop.Train("sar"));

        foreach (var truncated in new[] { bytes[..(bytes.Length / 2)], bytes[..^4] })
        {
            var refusal = Assert.ThrowsAny<Exception>(() => ModelArtifact.Load(new MemoryStream(truncated)));
            Assert.True(refusal is EndOfStreamException or InvalidDataException, refusal.ToString());
        }
    }

    [Fact]
    public async Task AFileWhoseShapesBreakItsModelKindsRulesIsRefusedEvenWithAMatchingChecksum()
    {
        var artifact = await ModelArtifactTests.Shop.Train("ease");
        var items = artifact.Model.Items.Count;
        var bytes = Rewrite(Save(artifact), manifest => manifest["shapes"]!["weights"] = (long)items * items - 1, version: 2);

        var refusal = Assert.Throws<InvalidDataException>(() => ModelArtifact.Load(new MemoryStream(bytes)));

        Assert.Contains("EASE weights: items × items", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileWhoseArraysAreNotTheDeclaredLengthIsRefusedBeforeTheyAreRead()
    {
        var artifact = await ModelArtifactTests.Shop.Train("sar");
        var bytes = Rewrite(Save(artifact), manifest => manifest["shapes"]!["neighbors"] = manifest["shapes"]!["neighbors"]!.GetValue<long>() + 1, version: 2);
        bytes = Rewrite(bytes, manifest => manifest["shapes"]!["similarities"] = manifest["shapes"]!["neighbors"]!.GetValue<long>(), version: 2);

        var refusal = Assert.Throws<InvalidDataException>(() => ModelArtifact.Load(new MemoryStream(bytes)));

        Assert.Contains("'neighbors' holds", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormatOneFileFromBeforeChecksumsStillLoads()
    {
        var artifact = await ModelArtifactTests.Shop.Train("sar");
        var bytes = Rewrite(Save(artifact), manifest => manifest.Remove("shapes"), version: 1, withTrailer: false);

        var loaded = ModelArtifact.Load(new MemoryStream(bytes));

        Assert.Equal(1, loaded.Manifest.FormatVersion);
        Assert.Equal(artifact.Model.Items.Ids, loaded.Model.Items.Ids);
    }

    private static byte[] Save(ModelArtifact artifact)
    {
        using var stream = new MemoryStream();
        artifact.Save(stream);
        return stream.ToArray();
    }

    /// <summary>The file with its manifest edited and its checksum recomputed (or left out), as a writer with other rules would have made it.</summary>
    private static byte[] Rewrite(byte[] saved, Action<JsonObject> edit, int version, bool withTrailer = true)
    {
        using var reader = new BinaryReader(new MemoryStream(saved[..^ArtifactIntegrity.HashBytes]), Encoding.UTF8);
        var magic = reader.ReadBytes(8);
        reader.ReadInt32();
        var manifest = JsonNode.Parse(reader.ReadString())!.AsObject();
        edit(manifest);
        manifest["formatVersion"] = version;
        var body = reader.ReadBytes(saved.Length);

        using var output = new MemoryStream();
        using (var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(magic);
            writer.Write(version);
            writer.Write(manifest.ToJsonString());
            writer.Write(body);
        }

        if (withTrailer)
        {
            output.Write(SHA256.HashData(output.ToArray()));
        }

        return output.ToArray();
    }
}
