using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Teams.Connector;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Teams.Groups;

/// <summary>
/// Entra ID groups (<c>entra-group:&lt;object id&gt;</c>) for the authorization policy: Microsoft Graph
/// <c>POST /v1.0/users/{object id}/checkMemberGroups</c> (transitive; at most 20 groups a call) with the app's own
/// token for <c>https://graph.microsoft.com/.default</c> (application permissions <c>User.Read.All</c> and
/// <c>GroupMember.Read.All</c>, admin consent). Only people of the bot's own tenant are looked up. The policy caches
/// the answers (<see cref="CachingGroupDirectory"/>).
/// </summary>
internal sealed class GraphGroupDirectory(HttpClient http, ConnectorTokenProvider tokens, IOptions<TeamsOptions> options) : IGroupDirectory
{
    /// <summary>Graph's limit of group ids in one <c>checkMemberGroups</c> call.</summary>
    public const int MaxGroupsPerCall = 20;

    /// <inheritdoc />
    public string Platform => "teams";

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> MemberOfAsync(Actor actor, IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken)
    {
        var tenant = options.Value.TenantId;
        if (!string.IsNullOrWhiteSpace(tenant) && !string.Equals(actor.Tenant, tenant, StringComparison.OrdinalIgnoreCase))
        {
            throw new GroupLookupException($"Entra groups are checked in the bot's tenant {tenant} only; this person signed in from tenant {actor.Tenant}");
        }
        var scope = new Uri(options.Value.GraphBaseUrl, "/.default").AbsoluteUri;
        string token;
        try
        {
            token = await tokens.GetTokenAsync([scope], cancellationToken);
        }
        catch (TeamsApiException e)
        {
            throw new GroupLookupException($"no Microsoft Graph token for the app ({e.ErrorMessage ?? e.ErrorCode})", e);
        }

        var member = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in groupIds.Chunk(MaxGroupsPerCall))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"v1.0/users/{Uri.EscapeDataString(actor.Id)}/checkMemberGroups")
            {
                Content = JsonContent.Create(new CheckMemberGroupsRequest(chunk), TeamsJsonContext.Default.CheckMemberGroupsRequest),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var code = await GraphErrorCodeAsync(response, cancellationToken);
                var hint = (int)response.StatusCode == 403
                    ? "; grant the app the Microsoft Graph application permissions User.Read.All and GroupMember.Read.All, with admin consent"
                    : "";
                throw new GroupLookupException($"Microsoft Graph checkMemberGroups answered {(int)response.StatusCode} {code}{hint}");
            }
            CheckMemberGroupsResponse? answer;
            try
            {
                answer = await response.Content.ReadFromJsonAsync(TeamsJsonContext.Default.CheckMemberGroupsResponse, cancellationToken);
            }
            catch (JsonException e)
            {
                throw new GroupLookupException("Microsoft Graph checkMemberGroups answered something that is not its JSON", e);
            }
            foreach (var id in answer?.Value ?? []) member.Add(id);
        }
        return groupIds.Where(member.Contains).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<string> GraphErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(TeamsJsonContext.Default.GraphErrorResponse, cancellationToken);
            return error?.Error?.Code ?? "(no error code)";
        }
        catch (JsonException)
        {
            return "(no error code)";
        }
    }
}

/// <summary>The body of <c>checkMemberGroups</c>: <c>{"groupIds": [...]}</c>.</summary>
internal sealed record CheckMemberGroupsRequest(IReadOnlyList<string> GroupIds);

/// <summary>The answer of <c>checkMemberGroups</c>: <c>{"value": [the group ids the object is a member of]}</c>.</summary>
internal sealed record CheckMemberGroupsResponse(IReadOnlyList<string>? Value);

/// <summary>Microsoft Graph's error body: <c>{"error": {"code": "Authorization_RequestDenied", "message": "…"}}</c>.</summary>
internal sealed record GraphErrorResponse(GraphError? Error);

/// <summary>One Microsoft Graph error.</summary>
internal sealed record GraphError(string? Code, string? Message);
