using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FlinkOpsBot.Teams.Auth;
using FlinkOpsBot.Teams.Connector;
using FlinkOpsBot.Teams.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlinkOpsBot.Teams.Tests.Connector;

/// <summary>The bot's outbound token with a certificate instead of a secret: MSAL signs a client assertion with it.</summary>
public sealed class ConnectorTokenProviderTests : IAsyncLifetime
{
    private FakeTokenEndpoint _tokens = null!;
    private string _pfxPath = null!;
    private X509Certificate2 _certificate = null!;

    public async Task InitializeAsync()
    {
        _tokens = await FakeTokenEndpoint.StartAsync();
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=flinkopsbot-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _pfxPath = Path.Combine(Path.GetTempPath(), $"flinkopsbot-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(_pfxPath, created.Export(X509ContentType.Pfx, "pfx-password"));
        _certificate = X509CertificateLoader.LoadCertificate(created.Export(X509ContentType.Cert));
    }

    public async Task DisposeAsync()
    {
        _certificate.Dispose();
        File.Delete(_pfxPath);
        await _tokens.DisposeAsync();
    }

    [Fact]
    public async Task GetToken_WithCertificatePath_SendsAnAssertionSignedByTheCertificateAndNoSecret()
    {
        var settings = TeamsTestHost.Settings(_tokens);
        settings.Remove(nameof(TeamsOptions.AppPassword));
        settings[nameof(TeamsOptions.CertificatePath)] = _pfxPath;
        settings[nameof(TeamsOptions.CertificatePassword)] = "pfx-password";
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IInboundTokenValidator, FakeTokenValidator>()
            .AddTeams(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

        var token = await services.GetRequiredService<ConnectorTokenProvider>().GetTokenAsync(CancellationToken.None);

        Assert.Equal(_tokens.LastToken, token);
        var form = Assert.Single(_tokens.Requests);
        Assert.False(form.ContainsKey("client_secret"));
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
        var assertion = await new JsonWebTokenHandler().ValidateTokenAsync(form["client_assertion"], new TokenValidationParameters
        {
            IssuerSigningKey = new X509SecurityKey(_certificate),
            ValidIssuer = TeamsTestHost.AppId,
            ValidateAudience = false,
            ValidateLifetime = true,
        });
        Assert.True(assertion.IsValid, assertion.Exception?.Message);
        Assert.Equal(TeamsTestHost.AppId, assertion.Claims["sub"]);
        Assert.StartsWith(_tokens.Authority.AbsoluteUri.Replace("http://", "https://", StringComparison.Ordinal), (string)assertion.Claims["aud"], StringComparison.Ordinal);
    }
}
