/// Every template of the desk, by name, compiled into the program (no files beside it).
enum Templates {
    static let all: [String: String] = [
        "layout": layout, "field": field, "message": message, "pager": pager,
        "login": login, "error": error, "status": status,
        "desk": desk,
        "complaints": complaints, "complaint_new": complaintNew, "complaint": complaint, "timeline": timeline,
        "cases": cases, "case": caseDetail,
        "projects": projects, "project": project, "account": account,
        "report": report, "scorecard": scorecard, "escalations": escalations,
        "flags": flags, "flag": flag,
        "import": importPage, "users": users,
        "user": user, "sign_ins": signIns, "configuration": configuration, "audit": audit,
        "directpay": directPayList, "directpay_batch": directPayBatch, "sanctions": sanctions,
    ]
}
