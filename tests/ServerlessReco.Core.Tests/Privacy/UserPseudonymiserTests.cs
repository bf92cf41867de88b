using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ServerlessReco.Core.Privacy;

namespace ServerlessReco.Core.Tests.Privacy;

public class UserPseudonymiserTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void APseudonymIsThePrefixAndTheFirst128BitsOfTheHmacInBase64Url()
    {
        var mac = HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes("user-0001"));

        var pseudonym = new UserPseudonymiser(Key).Pseudonymise("user-0001");

        Assert.Equal(UserPseudonymiser.Prefix + Base64Url.EncodeToString(mac.AsSpan(0, 16)), pseudonym);
        Assert.Equal(UserPseudonymiser.Prefix.Length + 22, pseudonym.Length);
    }

    [Fact]
    public void TheSameIdAndKeyGiveTheSamePseudonymAndAnotherKeyAnother()
    {
        var other = Key.Select(b => (byte)(b ^ 0xFF)).ToArray();

        Assert.Equal(new UserPseudonymiser(Key).Pseudonymise("ü@shop"), new UserPseudonymiser(Key).Pseudonymise("ü@shop"));
        Assert.NotEqual(new UserPseudonymiser(Key).Pseudonymise("ü@shop"), new UserPseudonymiser(other).Pseudonymise("ü@shop"));
        Assert.NotEqual(new UserPseudonymiser(Key).Pseudonymise("u1"), new UserPseudonymiser(Key).Pseudonymise("u2"));
    }

    [Fact]
    public void PseudonymsAreUrlSafe()
    {
        var pseudonymiser = new UserPseudonymiser(Key);

        Assert.All(
            Enumerable.Range(0, 500).Select(i => pseudonymiser.Pseudonymise($"user/{i}?#%")),
            p => Assert.Matches("^pu-[A-Za-z0-9_-]{22}$", p));
    }

    [Fact]
    public void KeysAreReadFromEitherBase64Alphabet()
    {
        var standard = Convert.ToBase64String(Key);
        var urlSafe = Base64Url.EncodeToString(Key);

        Assert.Equal(new UserPseudonymiser(Key).Pseudonymise("u1"), UserPseudonymiser.FromBase64(standard).Pseudonymise("u1"));
        Assert.Equal(new UserPseudonymiser(Key).Pseudonymise("u1"), UserPseudonymiser.FromBase64(urlSafe).Pseudonymise("u1"));
        Assert.Equal(32, Convert.FromBase64String(UserPseudonymiser.NewKeyBase64()).Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // 29 bytes
    public void AKeyThatIsNotAtLeast32BytesOfBase64IsRefused(string key)
    {
        Assert.False(UserPseudonymiser.TryDecodeKey(key, out _, out var problem));
        Assert.NotEmpty(problem);
        Assert.Throws<FormatException>(() => UserPseudonymiser.FromBase64(key));
    }
}
