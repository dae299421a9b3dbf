using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Host.Composition;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Host.Tests.Composition;

/// <summary>The Authorization section is checked at start, with messages that name the setting and say what to write.</summary>
public class AuthorizationOptionsValidatorTests
{
    public static readonly TheoryData<string, string> Problems = new()
    {
        // a broken setting (key=value;…) → the message's start
        { "Rules:0:Requesters:0=@oncall;Rules:0:Approvers:0=*",
            "Authorization:Rules:0:Requesters:0 names the group @oncall, which Authorization:Groups does not define (defined: none)." },
        { "Rules:0:Recipe=upgrde;Rules:0:Requesters:0=*;Rules:0:Approvers:0=*",
            "Authorization:Rules:0:Recipe 'upgrde' is not a known recipe (backfill, cancel-job, checkpoint-failures, deploy, lock, redeploy, restart-loop, resume, savepoint, savepoint-cleanup, savepoints, scale, sql-deploy, status, steal-lock, stop, upgrade), nor *." },
        { "Rules:0:Requesters:0=*",
            "Authorization:Rules:0:Approvers is empty, so nobody could approve what its requesters ask for; name approvers (or * for anyone verified)." },
        { "Rules:0:Channel=discord;Rules:0:Requesters:0=*;Rules:0:Approvers:0=*",
            "Authorization:Rules:0:Channel 'discord' must be *, slack, teams, local, or platform:conversation id (slack:C0123ABCD)." },
        { "Rules:0:Requesters:0=*;Rules:0:Approvers:0=*;Rules:0:RequiredApprovals=0",
            "Authorization:Rules:0:RequiredApprovals must be at least 1, not 0." },
        { "Rules:0:Requesters:0=*;Rules:0:Approvers:0=entra-group:sre",
            "Authorization:Rules:0:Approvers:0 'entra-group:sre' must be entra-group: followed by the group's object id (a GUID)." },
        { "Groups:a:0=@b;Groups:b:0=@a", "Authorization:Groups:a contains itself (through @a in its members or theirs); remove the loop." },
        { "ReadOnly:0=@readers", "Authorization:ReadOnly:0 names the group @readers, which Authorization:Groups does not define (defined: none)." },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Validate_BrokenPolicy_NamesTheSetting(string settings, string message)
    {
        var result = Validate(Bind(settings), new GatePolicy());

        Assert.True(result.Failed);
        Assert.Contains(message, result.Failures);
    }

    [Fact]
    public void Validate_GateApproversWithoutRules_SaysToMoveThemIntoARule()
    {
        var result = Validate(new AuthorizationOptions(), new GatePolicy { Approvers = ["U024BE7LH"] });

        Assert.StartsWith("Gate:Approvers is set but Authorization:Rules is empty, so every change would be refused", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_SamplePolicy_IsValid()
    {
        var sample = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Testing.RepoPaths.Root, "appsettings.sample.json"), optional: false).Build();
        var options = new AuthorizationOptions();
        sample.GetSection(AuthorizationOptions.Section).Bind(options);

        var result = Validate(options, new GatePolicy());

        Assert.True(result.Succeeded, string.Join("\n", result.Failures ?? []));
    }

    [Fact]
    public void Start_BrokenPolicy_FailsWithTheMessage()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Storage:InMemory", "true");
            builder.UseSetting("Flink:Clusters:0:Name", "prod");
            builder.UseSetting("Flink:Clusters:0:BaseUrl", "http://127.0.0.1:1");
            builder.UseSetting("Authorization:Rules:0:Requesters:0", "@oncall");
            builder.UseSetting("Authorization:Rules:0:Approvers:0", "*");
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Authorization:Rules:0:Requesters:0 names the group @oncall", error.Message);
    }

    private static AuthorizationOptions Bind(string settings)
    {
        var pairs = settings.Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(pairs).Build();
        var options = new AuthorizationOptions();
        configuration.Bind(options);
        return options;
    }

    private static ValidateOptionsResult Validate(AuthorizationOptions options, GatePolicy gate) =>
        new AuthorizationOptionsValidator(RecipeCatalog.LoadBuiltIn(), Options.Create(gate)).Validate(null, options);
}
