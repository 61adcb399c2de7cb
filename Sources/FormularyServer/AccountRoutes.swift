import FormularySite
import FormularyStore
import HTTPTypes

/// Signing in and out, the account page and API tokens, and `GET /api/v1/me`.
enum AccountRoutes {
    static let routes: [ContributionRoute] = [
        ContributionRoute(.pages, .get, "sign-in") { server, context in
            try server.signInPage(context, next: context.target.parameter("next"), message: nil, name: "")
        },
        ContributionRoute(.pages, .post, "sign-in") { server, context in try await server.signIn(context) },
        ContributionRoute(.pages, .post, "sign-out") { server, context in
            if let token = ContributionServer.cookies(context.headers)[ContributionServer.sessionCookie] {
                try await server.accounts.endSession(token: token)
            }
            var response = ContributionServer.redirect(to: "/")
            response.headers.append(
                HTTPField(
                    name: .setCookie,
                    value: "\(ContributionServer.sessionCookie)=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"))
            return response
        },
        ContributionRoute(.pages, .get, "account") { server, context in
            try server.accountPage(context, user: try ContributionServer.signedIn(context), newToken: nil)
        },
        ContributionRoute(.pages, .post, "tokens") { server, context in
            let user = try ContributionServer.signedIn(context)
            let label = (context.form["label"] ?? "").trimmingCharacters(in: .whitespaces)
            let token = try await server.accounts.issueToken(for: user.name, label: label.isEmpty ? "API token" : label)
            return try server.accountPage(context, user: user, newToken: token)
        },
        ContributionRoute(.api, .get, "me") { _, context in
            guard let user = context.visitor.user else { throw WebError.unauthorized("send an API token") }
            return ContributionServer.json(.ok, user)
        },
    ]
}

extension ContributionServer {
    func signInPage(_ context: ContributionContext, next: String?, message: String?, name: String) throws
        -> ServerResponse
    {
        let words = words(context)
        return try page(
            "sign-in", title: words["wfSignInTitle"], context: context,
            status: message == nil ? .ok : .unauthorized,
            [
                "message": message ?? WorkflowTemplates.none,
                "signedInAs": context.visitor.user.map { words.text("wfSignedInAs", ["name": $0.name]) }
                    ?? WorkflowTemplates.none,
                "next": Self.safeNext(next) ?? WorkflowTemplates.none,
                "name": name,
            ])
    }

    func signIn(_ context: ContributionContext) async throws -> ServerResponse {
        let form = context.form
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let next = Self.safeNext(form["next"])
        if let wait = signInLimiter.take("address:" + context.peer) { throw WebError.tooManyRequests(wait) }
        guard let user = try await accounts.verify(name: name, password: form["password"] ?? "") else {
            return try signInPage(context, next: next, message: words(context)["wfWrongPassword"], name: name)
        }
        let (token, _) = try await accounts.startSession(for: user)
        var response = Self.redirect(to: next ?? "/_formulary/review")
        let secure = Self.isLocal(context.authority) ? "" : "; Secure"
        response.headers.append(
            HTTPField(
                name: .setCookie,
                value:
                    "\(Self.sessionCookie)=\(token); Path=/; HttpOnly; SameSite=Lax; Max-Age=\(Int(accounts.sessionLifetime))\(secure)"
            ))
        return response
    }

    func accountPage(_ context: ContributionContext, user: User, newToken: String?) throws -> ServerResponse {
        let words = words(context)
        let role: String
        switch user.role {
        case .contributor: role = words["wfRoleContributor"]
        case .reviewer: role = words["wfRoleReviewer"]
        case .admin: role = words["wfRoleAdmin"]
        }
        let roleLine =
            user.qualifications.isEmpty
            ? words.text("wfRole", ["role": role])
            : words.text(
                "wfRoleQualified", ["role": role, "qualifications": user.qualifications.joined(separator: ", ")])
        return try page(
            "account", title: words["wfAccountTitle"], context: context,
            ["name": user.name, "roleLine": roleLine, "newToken": newToken ?? WorkflowTemplates.none])
    }
}
