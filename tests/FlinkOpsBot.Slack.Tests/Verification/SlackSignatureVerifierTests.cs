using FlinkOpsBot.Testing.Slack;
using System.Text;
using FlinkOpsBot.Slack.Tests.Fakes;
using FlinkOpsBot.Slack.Verification;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Slack.Tests.Verification;

public class SlackSignatureVerifierTests
{
    // Slack's documented example ("Verifying requests from Slack"), copied from chat-protocols.md §1.
    private const string DocsTimestamp = "1531420618";
    private const string DocsSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private const string DocsBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    private static readonly DateTimeOffset DocsTime = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void Check_DocsExample_IsValid()
    {
        Assert.Equal(SignatureCheck.Valid, Check(DocsTime, DocsTimestamp, DocsSignature, DocsBody));
    }

    [Fact]
    public void Sign_DocsExample_TestSignerAgreesWithSlack()
    {
        Assert.Equal(DocsSignature, SlackSigner.Sign(SlackSigner.DocsSecret, 1531420618, DocsBody));
    }

    [Fact]
    public void Check_TamperedBody_IsMismatch()
    {
        Assert.Equal(SignatureCheck.Mismatch, Check(DocsTime, DocsTimestamp, DocsSignature, DocsBody + "------"));
    }

    [Fact]
    public void Check_OtherSecret_IsMismatch()
    {
        var verifier = new SlackSignatureVerifier(Options.Create(new SlackOptions { SigningSecret = "another-secret" }), new ManualTimeProvider(DocsTime));

        Assert.Equal(SignatureCheck.Mismatch, verifier.Check(DocsTimestamp, DocsSignature, Encoding.UTF8.GetBytes(DocsBody)));
    }

    [Fact]
    public void Check_TimestampHeaderNotTheSigned_IsMismatch()
    {
        Assert.Equal(SignatureCheck.Mismatch, Check(DocsTime, "1531420619", DocsSignature, DocsBody));
    }

    [Fact]
    public void Check_UppercaseHexSignature_IsMismatch()
    {
        Assert.Equal(SignatureCheck.Mismatch, Check(DocsTime, DocsTimestamp, "v0=" + DocsSignature[3..].ToUpperInvariant(), DocsBody));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(-300)]
    public void Check_ClockExactly300SecondsFromTimestamp_IsValid(int clockOffsetSeconds)
    {
        Assert.Equal(SignatureCheck.Valid, Check(DocsTime.AddSeconds(clockOffsetSeconds), DocsTimestamp, DocsSignature, DocsBody));
    }

    [Theory]
    [InlineData(301)] // a replay: the request is older than five minutes
    [InlineData(-301)] // from the future: the sender's clock is ahead
    public void Check_Clock301SecondsFromTimestamp_IsStale(int clockOffsetSeconds)
    {
        Assert.Equal(SignatureCheck.Stale, Check(DocsTime.AddSeconds(clockOffsetSeconds), DocsTimestamp, DocsSignature, DocsBody));
    }

    [Fact]
    public void Check_RealClockAgainstDocsExample_IsStale()
    {
        Assert.Equal(SignatureCheck.Stale, Check(new ManualTimeProvider().GetUtcNow(), DocsTimestamp, DocsSignature, DocsBody));
    }

    [Theory]
    [InlineData(null, DocsSignature)]
    [InlineData(DocsTimestamp, null)]
    [InlineData("", DocsSignature)]
    [InlineData(DocsTimestamp, "")]
    [InlineData("1531420618.5", DocsSignature)]
    [InlineData("-1531420618", DocsSignature)]
    [InlineData(" 1531420618", DocsSignature)]
    public void Check_MissingOrMalformedHeaders_IsMissingHeaders(string? timestamp, string? signature)
    {
        Assert.Equal(SignatureCheck.MissingHeaders, Check(DocsTime, timestamp, signature, DocsBody));
    }

    private static SignatureCheck Check(DateTimeOffset now, string? timestamp, string? signature, string body) =>
        new SlackSignatureVerifier(Options.Create(new SlackOptions { SigningSecret = SlackSigner.DocsSecret }), new ManualTimeProvider(now))
            .Check(timestamp, signature, Encoding.UTF8.GetBytes(body));
}
