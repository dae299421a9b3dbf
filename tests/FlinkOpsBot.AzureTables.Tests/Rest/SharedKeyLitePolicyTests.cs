using Azure.Core;
using Azure.Core.Pipeline;
using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests.Rest;

public sealed class SharedKeyLitePolicyTests
{
    private static readonly byte[] DevelopmentKey = Convert.FromBase64String(AzuriteFixture.AccountKey);

    /// <summary>
    /// Expected signatures computed independently with OpenSSL:
    /// <c>printf 'DATE\nRESOURCE' | openssl dgst -sha256 -mac HMAC -macopt hexkey:KEY -binary | base64</c>.
    /// Azurite accepting every request in the other tests checks the scheme against a second implementation.
    /// </summary>
    [Theory]
    [InlineData("myaccount", "https://myaccount.table.core.windows.net/mytable", "Sun, 11 Oct 2009 21:49:13 GMT",
        "SharedKeyLite myaccount:eR9MuylPGZuyknAoXpN6qMQZaouRFZk5sQgEhSVdKJc=")]
    [InlineData("devstoreaccount1", "http://127.0.0.1:10002/devstoreaccount1/runs(PartitionKey='R-7Q2K',RowKey='run')", "Thu, 15 Jan 2026 09:00:00 GMT",
        "SharedKeyLite devstoreaccount1:V9gS4xyoXAylI65m5ergm4E8HV0IPKniHgufaV8vHMM=")]
    public void OnSendingRequest_KnownRequest_SetsKnownAuthorization(string account, string uri, string date, string expected)
    {
        using var message = NewMessage(uri);
        message.Request.Headers.SetValue("x-ms-date", date);

        new SharedKeyLitePolicy(account, DevelopmentKey).OnSendingRequest(message);

        Assert.True(message.Request.Headers.TryGetValue("Authorization", out var authorization));
        Assert.Equal(expected, authorization);
    }

    [Fact]
    public void OnSendingRequest_NoDateHeader_Throws()
    {
        using var message = NewMessage("https://myaccount.table.core.windows.net/Tables");

        Assert.Throws<InvalidOperationException>(() => new SharedKeyLitePolicy("myaccount", DevelopmentKey).OnSendingRequest(message));
    }

    /// <summary>Cases from Azure.Data.Tables' TableSharedKeyPipelinePolicyTests, plus Azurite's path-style account.</summary>
    [Theory]
    [InlineData("https://foo.table.core.windows.net/foopath?restype=service&comp=properties&sv=2019-02-02&ss=t&srt=s&se=2040-01-01T01%3A01%3A00Z&sp=rwdlau&sig=Sanitized", "/account/foopath?comp=properties")]
    [InlineData("https://foo.table.core.windows.net/?sv=2019-02-02&ss=t&srt=s&se=2040-01-01T01%3A01%3A00Z&sp=rwdlau&sig=Sanitized", "/account/")]
    [InlineData("https://foo.table.core.windows.net/test", "/account/test")]
    [InlineData("http://127.0.0.1:10002/account/Tables", "/account/account/Tables")]
    [InlineData("https://foo.table.core.windows.net/t(PartitionKey='o%27%27brien',RowKey='a%20b')", "/account/t(PartitionKey='o%27%27brien',RowKey='a%20b')")]
    public void CanonicalizedResource_Uri_MatchesTableServiceFormat(string uri, string expected)
    {
        var policy = new SharedKeyLitePolicy("account", DevelopmentKey);

        Assert.Equal(expected, policy.CanonicalizedResource(new Uri(uri)));
    }

    private static HttpMessage NewMessage(string uri)
    {
        var message = new HttpPipeline(HttpClientTransport.Shared).CreateMessage();
        message.Request.Uri.Reset(new Uri(uri));
        return message;
    }
}
