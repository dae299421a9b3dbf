using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Slack.Tests.Fakes;
using FlinkOpsBot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Slack.Tests.Groups;

/// <summary>Slack user group membership through <c>usergroups.users.list</c>, against the fake Slack Web API.</summary>
public sealed class SlackGroupDirectoryTests : IAsyncLifetime
{
    private static readonly Actor Bo = new("slack", "T0001", "U0BO", "bo");
    private FakeSlackServer _slack = null!;
    private ServiceProvider _services = null!;
    private IGroupDirectory _directory = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackServer.StartAsync();
        _slack.AddUserGroup("S0ONCALL1", "U0ANA", "U0BO");
        _slack.AddUserGroup("S0DBAS001", "U0CY");
        _services = SlackServices.Build(_slack);
        _directory = Assert.Single(_services.GetServices<IGroupDirectory>());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task MemberOf_AsksSlackPerGroupWithTheBotToken_AndAnswersTheGroupsThePersonIsIn()
    {
        var member = await _directory.MemberOfAsync(Bo, ["S0ONCALL1", "S0DBAS001"], CancellationToken.None);

        Assert.Equal("slack", _directory.Platform);
        Assert.Equal(["S0ONCALL1"], member);
        Assert.All(_slack.Requests, r =>
        {
            Assert.Equal("usergroups.users.list", r.Method);
            Assert.Equal("Bearer xoxb-test-token", r.Authorization);
            Assert.StartsWith("application/x-www-form-urlencoded", r.ContentType);
        });
        Assert.Equal(["usergroup=S0ONCALL1", "usergroup=S0DBAS001"], _slack.Requests.Select(r => r.Body));
    }

    public static readonly TheoryData<string, string> Failures = new()
    {
        { "missing_scope", "Slack usergroups.users.list for S0ONCALL1 failed: missing_scope; add the usergroups:read scope to the Slack app and reinstall it" },
        { "plan_upgrade_required", "Slack usergroups.users.list for S0ONCALL1 failed: plan_upgrade_required" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task MemberOf_SlackRefuses_IsAGroupLookupFailureThatSaysWhatToDo(string error, string message)
    {
        _slack.AnswerNext(200, $$"""{"ok":false,"error":"{{error}}"}""");

        var failure = await Assert.ThrowsAsync<GroupLookupException>(() => _directory.MemberOfAsync(Bo, ["S0ONCALL1"], CancellationToken.None));

        Assert.Equal(message, failure.Message);
    }

    [Fact]
    public async Task MemberOf_UnknownGroup_SaysTheWorkspaceHasNoSuchGroup()
    {
        var failure = await Assert.ThrowsAsync<GroupLookupException>(() => _directory.MemberOfAsync(Bo, ["S0NOTHERE"], CancellationToken.None));

        Assert.Contains("no_such_subteam; the policy names a user group this workspace does not have", failure.Message);
    }
}
