/**
 * The wording of every notification (R-NTF-1, R-CON-1, R-DSP-2, R-TIME-9) and of the
 * opt-out pages, in en, nl, sv and de. Values passed in are already formatted (dates in
 * the recipient's language); HTML escaping happens when rendering.
 */
import type { ReviewerSla } from "../domain/deadlines.ts";
import type { Locale } from "./i18n.ts";

/** A dispute decision (R-DSP-1). */
export type DisputeDecision = "approve" | "request_information" | "uphold";

/** Everything one language says. */
export interface Texts {
	hello(name: string | null): string;
	footer: string;
	label: {
		claim: string;
		claimId: string;
		customer: string;
		partner: string;
		products: string;
		status: string;
		respondBy: string;
		reviewStartDue: string;
		consentEnds: string;
		disputeUntil: string;
		reason: string;
		/** R-CMP-3: the reviewer's reason for a claim that lost arbitration, below the loss. */
		assessment: string;
		/** A reviewer's own words on a decision. */
		comment: string;
		/** The partner's own words on its request for rejection. */
		requestComment: string;
		/** CPOR's words where a person gave none (R-TIME-4, R-CMP-3, R-CON-2). */
		note: string;
		dataShared: string;
		decision: string;
		due: string;
	};
	openClaim: string;
	/** CPOR's words where a person's would go (comment-template.ts `GeneratedText`). */
	generated: {
		noPartnerResponse(due: string): string;
		arbitrationLost: string;
		rejectionRequested: string;
		customerOptedOut: string;
	};
	/** The short "what the partner sees" fact (R-CON-1, R-ACC-1). */
	dataSharedShort: string;
	submitted: {
		subject(claim: string): string;
		body(
			claim: string,
			customer: string,
			reviewStartDue: string | null,
		): string;
	};
	informationRequested: {
		subject(claim: string): string;
		intro(claim: string): string;
		/** The intro when the request is a dispute's decision (R-DSP-1). */
		disputeIntro(claim: string): string;
		respond(due: string): string;
	};
	approved: {
		subject(claim: string): string;
		body(claim: string, customer: string): string;
		/** The body when the approval is a dispute's decision (R-DSP-1). */
		disputeBody(claim: string, customer: string): string;
		window(partner: string, ends: string): string;
	};
	consentNotice: {
		subject(partner: string, customer: string, ends: string): string;
		intro(partner: string, customer: string): string;
		data(partner: string): string;
		howToOptOut(partner: string, ends: string): string;
		button: string;
		note(ends: string): string;
	};
	rejected: {
		subject(claim: string): string;
		body(claim: string, customer: string): string;
		where: string;
		dispute(until: string): string;
		noDispute: string;
	};
	consentDeclined: {
		subject(claim: string): string;
		body(
			claim: string,
			customer: string,
			partner: string,
			products: string,
		): string;
	};
	disputeDecided: {
		subject(claim: string): string;
		body(decision: DisputeDecision, claim: string): string;
		decision: Record<DisputeDecision, string>;
	};
	associationActivated: {
		subject(claim: string): string;
		body(partner: string, customer: string, products: string): string;
		next: string;
	};
	partnerReminder: {
		subject(claim: string, due: string): string;
		/** No "n days left": a reminder sent late (after downtime, a clock move) would misstate it. */
		body(claim: string, due: string): string;
	};
	reviewerReminder: {
		subject(claim: string, due: string): string;
		body(
			/** Which reviewer deadline the reminder is about (R-TIME-2, R-TIME-3, R-TIME-8). */
			deadline: ReviewerSla,
			claim: string,
			partner: string,
			customer: string,
			due: string,
		): string;
	};
	page: {
		title: string;
		intro(partner: string, customer: string): string;
		agree: string;
		button: string;
		doneTitle: string;
		doneBody(partner: string): string;
		alreadyTitle: string;
		invalidTitle: string;
		invalidBody: string;
		signInHint: string;
		expiredTitle: string;
		expiredBody(ends: string): string;
		closedTitle: string;
		closedBody: string;
	};
}

const en: Texts = {
	hello: (name) => (name ? `Hello ${name},` : "Hello,"),
	footer:
		"This is an automated message from CPOR (Claimed Partner of Record). Please do not reply to it.",
	label: {
		claim: "Claim",
		claimId: "Claim ID",
		customer: "Customer",
		partner: "Partner",
		products: "Products",
		status: "Status",
		respondBy: "Respond by",
		reviewStartDue: "Review starts by",
		consentEnds: "Opt-out possible until",
		disputeUntil: "Dispute possible until",
		reason: "Reason",
		assessment: "Reviewer's assessment",
		comment: "Reviewer's comment",
		requestComment: "Comment",
		note: "Details",
		dataShared: "Data the partner will see",
		decision: "Decision",
		due: "Due",
	},
	openClaim: "Open the claim",
	generated: {
		noPartnerResponse: (due) =>
			`The partner did not answer the information request by ${due}.`,
		arbitrationLost:
			"Arbitration: another partner's claim for the same customer, product and activity was approved.",
		rejectionRequested: "The partner asked for this claim to be rejected.",
		customerOptedOut: "The customer opted out of this partner association.",
	},
	dataSharedShort:
		"Usage and seat data of these products only (monthly active users, paid available units)",
	submitted: {
		subject: (c) => `Claim submitted: ${c}`,
		body: (c, customer, due) =>
			`Your claim "${c}" for ${customer} was submitted.${due ? ` A reviewer will start reviewing your proof of execution by ${due}.` : ""}`,
	},
	informationRequested: {
		subject: (c) => `Action required: more information for "${c}"`,
		intro: (c) =>
			`A reviewer needs more information before deciding on your claim "${c}":`,
		disputeIntro: (c) =>
			`A reviewer needs more information before deciding on your dispute of the rejection of "${c}":`,
		respond: (due) =>
			`Please update the claim and resubmit it by ${due}. If you do not respond in time, the claim is rejected (no partner response).`,
	},
	approved: {
		subject: (c) => `Claim approved: ${c}`,
		body: (c, customer) => `Your claim "${c}" for ${customer} was approved.`,
		disputeBody: (c, customer) =>
			`Your dispute was accepted: your claim "${c}" for ${customer} is approved.`,
		window: (partner, ends) =>
			`We have told the customer, who may opt out until ${ends}. If they do not, ${partner} becomes partner of record for these products when that window ends, and the claim is evaluated for incentive eligibility.`,
	},
	consentNotice: {
		subject: (partner, customer, ends) =>
			`${partner} is becoming partner of record of ${customer}: opt out by ${ends}`,
		intro: (partner, customer) =>
			`${partner} has been approved as the partner of record of ${customer} for the products below. It showed that it helped your organization buy, adopt or use them.`,
		data: (partner) =>
			`What ${partner} will see: the usage and seat data of these products only (monthly active users and paid available units, per month). It will not see any other data of your organization.`,
		howToOptOut: (partner, ends) =>
			`You do not need to do anything if you agree. If you do not want ${partner} to be your partner of record for these products, opt out before ${ends}:`,
		button: "Opt out",
		note: (ends) =>
			`This link can only be used to opt out of this association, and only until ${ends}. A customer admin can also opt out in CPOR under Partner associations.`,
	},
	rejected: {
		subject: (c) => `Claim rejected: ${c}`,
		body: (c, customer) => `Your claim "${c}" for ${customer} was rejected.`,
		where: "You can see the decision and its comments on the claim page:",
		dispute: (until) =>
			`If you disagree, you can dispute the rejection from the claim page (choose "Dispute") with a business justification and/or updated proof of execution, until ${until}. After that, only a new claim with updated proof of execution is possible.`,
		noDispute:
			"This rejection was made at your organization's request and cannot be disputed.",
	},
	consentDeclined: {
		subject: (c) => `Customer opted out: ${c}`,
		body: (c, customer, partner, products) =>
			`${customer} opted out of the association with ${partner} for ${products}. The claim "${c}" is now rejected (customer declined), and ${partner} will not get access to the customer's data.`,
	},
	disputeDecided: {
		subject: (c) => `Dispute decided: ${c}`,
		body: (d, c) =>
			({
				approve: `Your dispute was accepted and the claim "${c}" is now approved. The customer is notified and may opt out.`,
				request_information: `The reviewer needs more information before deciding on the claim "${c}"; you will receive a separate message with the details and the deadline.`,
				uphold: `The rejection of the claim "${c}" is upheld. The claim stays rejected; a new claim with updated proof of execution is still possible.`,
			})[d],
		decision: {
			approve: "Dispute accepted",
			request_information: "More information needed",
			uphold: "Rejection upheld",
		},
	},
	associationActivated: {
		subject: (c) => `You are now partner of record: ${c}`,
		body: (partner, customer, products) =>
			`The customer's opt-out window ended without an opt-out. ${partner} is now partner of record of ${customer} for ${products}, and can see the usage and seat data of these products.`,
		next: "The claim has been evaluated for incentive eligibility: see the result per program on the claim page.",
	},
	partnerReminder: {
		subject: (c, due) => `Reminder: respond by ${due}: ${c}`,
		body: (c, due) =>
			`The reviewer is still waiting for your answer on the claim "${c}": update and resubmit the claim by ${due}, or it is rejected (no partner response).`,
	},
	reviewerReminder: {
		subject: (c, due) => `Reminder: due ${due}: ${c}`,
		body: (d, c, partner, customer, due) =>
			`The ${
				{
					review_start: "review start",
					decision: "decision",
					dispute_decision: "dispute decision",
				}[d]
			} of the claim "${c}" (${partner}, customer ${customer}) is due by ${due}.`,
	},
	page: {
		title: "Partner association: opt out",
		intro: (partner, customer) =>
			`${partner} has been approved as the partner of record of ${customer} for these products.`,
		agree: "If you agree, you do not need to do anything.",
		button: "Opt out of this association",
		doneTitle: "You have opted out",
		doneBody: (partner) =>
			`${partner} will not become partner of record for these products and will not get access to your data. We have told the partner.`,
		alreadyTitle: "You have already opted out",
		invalidTitle: "This link is not valid",
		invalidBody:
			"The link may have been changed or copied incompletely. Open it again from the email, exactly as it is. Nothing was changed.",
		signInHint:
			"A customer admin can also manage associations by signing in to CPOR.",
		expiredTitle: "The opt-out window has ended",
		expiredBody: (ends) =>
			`This link could be used until ${ends}. Nothing was changed. Contact the partner or partner support if you want to object.`,
		closedTitle: "There is nothing to opt out of",
		closedBody:
			"This association is no longer waiting for your consent (it was withdrawn, rejected or already decided). Nothing was changed.",
	},
};

const nl: Texts = {
	hello: (name) => (name ? `Hallo ${name},` : "Hallo,"),
	footer:
		"Dit is een automatisch bericht van CPOR (Claimed Partner of Record). U kunt hier niet op antwoorden.",
	label: {
		claim: "Claim",
		claimId: "Claim-ID",
		customer: "Klant",
		partner: "Partner",
		products: "Producten",
		status: "Status",
		respondBy: "Reageren vóór",
		reviewStartDue: "Beoordeling start uiterlijk",
		consentEnds: "Afmelden mogelijk tot",
		disputeUntil: "Bezwaar mogelijk tot",
		reason: "Reden",
		assessment: "Oordeel van de beoordelaar",
		comment: "Toelichting van de beoordelaar",
		requestComment: "Toelichting",
		note: "Details",
		dataShared: "Gegevens die de partner ziet",
		decision: "Besluit",
		due: "Uiterlijk",
	},
	openClaim: "Claim openen",
	generated: {
		noPartnerResponse: (due) =>
			`De partner heeft de informatievraag niet beantwoord vóór ${due}.`,
		arbitrationLost:
			"Arbitrage: de claim van een andere partner voor dezelfde klant, hetzelfde product en dezelfde activiteit is goedgekeurd.",
		rejectionRequested: "De partner heeft gevraagd deze claim af te wijzen.",
		customerOptedOut:
			"De klant heeft zich afgemeld voor deze partnerkoppeling.",
	},
	dataSharedShort:
		"Alleen gebruiks- en licentiegegevens van deze producten (maandelijks actieve gebruikers, betaalde beschikbare licenties)",
	submitted: {
		subject: (c) => `Claim ingediend: ${c}`,
		body: (c, customer, due) =>
			`Uw claim "${c}" voor ${customer} is ingediend.${due ? ` Een beoordelaar begint uiterlijk ${due} met het beoordelen van uw bewijs van uitvoering.` : ""}`,
	},
	informationRequested: {
		subject: (c) => `Actie vereist: meer informatie nodig voor "${c}"`,
		intro: (c) =>
			`Een beoordelaar heeft meer informatie nodig voordat over uw claim "${c}" kan worden beslist:`,
		disputeIntro: (c) =>
			`Een beoordelaar heeft meer informatie nodig voordat over uw bezwaar tegen de afwijzing van "${c}" kan worden beslist:`,
		respond: (due) =>
			`Werk de claim bij en dien deze uiterlijk ${due} opnieuw in. Als u niet op tijd reageert, wordt de claim afgewezen (geen reactie van de partner).`,
	},
	approved: {
		subject: (c) => `Claim goedgekeurd: ${c}`,
		body: (c, customer) => `Uw claim "${c}" voor ${customer} is goedgekeurd.`,
		disputeBody: (c, customer) =>
			`Uw bezwaar is toegewezen: uw claim "${c}" voor ${customer} is goedgekeurd.`,
		window: (partner, ends) =>
			`De klant is op de hoogte gebracht en kan zich tot ${ends} afmelden. Doet de klant dat niet, dan wordt ${partner} na afloop van die termijn partner of record voor deze producten en wordt de claim beoordeeld op geschiktheid voor incentives.`,
	},
	consentNotice: {
		subject: (partner, customer, ends) =>
			`${partner} wordt partner of record van ${customer}: afmelden kan tot ${ends}`,
		intro: (partner, customer) =>
			`${partner} is goedgekeurd als partner of record van ${customer} voor de onderstaande producten. De partner heeft aangetoond dat hij uw organisatie heeft geholpen deze producten aan te schaffen, in gebruik te nemen of te gebruiken.`,
		data: (partner) =>
			`Wat ${partner} te zien krijgt: alleen de gebruiks- en licentiegegevens van deze producten (maandelijks actieve gebruikers en betaalde beschikbare licenties, per maand). Andere gegevens van uw organisatie ziet de partner niet.`,
		howToOptOut: (partner, ends) =>
			`Gaat u akkoord, dan hoeft u niets te doen. Wilt u niet dat ${partner} uw partner of record voor deze producten wordt, meld u dan af vóór ${ends}:`,
		button: "Afmelden",
		note: (ends) =>
			`Deze link kan alleen worden gebruikt om u voor deze koppeling af te melden, en alleen tot ${ends}. Een klantbeheerder kan zich ook afmelden in CPOR onder Partnerkoppelingen.`,
	},
	rejected: {
		subject: (c) => `Claim afgewezen: ${c}`,
		body: (c, customer) => `Uw claim "${c}" voor ${customer} is afgewezen.`,
		where: "Het besluit en de opmerkingen vindt u op de claimpagina:",
		dispute: (until) =>
			`Bent u het er niet mee eens, dan kunt u tot ${until} bezwaar maken via de claimpagina (kies "Bezwaar maken"), met een zakelijke onderbouwing en/of bijgewerkt bewijs van uitvoering. Daarna is alleen een nieuwe claim met bijgewerkt bewijs mogelijk.`,
		noDispute:
			"Deze afwijzing is op verzoek van uw organisatie gedaan; hiertegen is geen bezwaar mogelijk.",
	},
	consentDeclined: {
		subject: (c) => `Klant heeft zich afgemeld: ${c}`,
		body: (c, customer, partner, products) =>
			`${customer} heeft zich afgemeld voor de koppeling met ${partner} voor ${products}. De claim "${c}" is nu afgewezen (klant heeft geweigerd) en ${partner} krijgt geen toegang tot de gegevens van de klant.`,
	},
	disputeDecided: {
		subject: (c) => `Besluit over bezwaar: ${c}`,
		body: (d, c) =>
			({
				approve: `Uw bezwaar is toegewezen en de claim "${c}" is nu goedgekeurd. De klant wordt op de hoogte gebracht en kan zich afmelden.`,
				request_information: `De beoordelaar heeft meer informatie nodig voordat over de claim "${c}" wordt beslist; u ontvangt een apart bericht met de details en de termijn.`,
				uphold: `De afwijzing van de claim "${c}" blijft van kracht. De claim blijft afgewezen; een nieuwe claim met bijgewerkt bewijs van uitvoering is nog mogelijk.`,
			})[d],
		decision: {
			approve: "Bezwaar toegewezen",
			request_information: "Meer informatie nodig",
			uphold: "Afwijzing gehandhaafd",
		},
	},
	associationActivated: {
		subject: (c) => `U bent nu partner of record: ${c}`,
		body: (partner, customer, products) =>
			`De afmeldtermijn van de klant is verstreken zonder afmelding. ${partner} is nu partner of record van ${customer} voor ${products} en kan de gebruiks- en licentiegegevens van deze producten inzien.`,
		next: "De claim is beoordeeld op geschiktheid voor incentives: het resultaat per programma staat op de claimpagina.",
	},
	partnerReminder: {
		subject: (c, due) => `Herinnering: reageer vóór ${due}: ${c}`,
		body: (c, due) =>
			`De beoordelaar wacht nog op uw antwoord over de claim "${c}": werk de claim bij en dien deze uiterlijk ${due} opnieuw in, anders wordt de claim afgewezen (geen reactie van de partner).`,
	},
	reviewerReminder: {
		subject: (c, due) => `Herinnering: uiterlijk ${due}: ${c}`,
		body: (d, c, partner, customer, due) =>
			`Voor de claim "${c}" (${partner}, klant ${customer}) verloopt de termijn voor ${
				{
					review_start: "de start van de beoordeling",
					decision: "het besluit",
					dispute_decision: "het besluit over het bezwaar",
				}[d]
			} op ${due}.`,
	},
	page: {
		title: "Partnerkoppeling: afmelden",
		intro: (partner, customer) =>
			`${partner} is goedgekeurd als partner of record van ${customer} voor deze producten.`,
		agree: "Gaat u akkoord, dan hoeft u niets te doen.",
		button: "Afmelden voor deze koppeling",
		doneTitle: "U bent afgemeld",
		doneBody: (partner) =>
			`${partner} wordt geen partner of record voor deze producten en krijgt geen toegang tot uw gegevens. We hebben de partner op de hoogte gebracht.`,
		alreadyTitle: "U bent al afgemeld",
		invalidTitle: "Deze link is niet geldig",
		invalidBody:
			"De link is mogelijk gewijzigd of niet volledig gekopieerd. Open hem opnieuw vanuit de e-mail, precies zoals hij is. Er is niets gewijzigd.",
		signInHint:
			"Een klantbeheerder kan koppelingen ook beheren door zich aan te melden bij CPOR.",
		expiredTitle: "De afmeldtermijn is verstreken",
		expiredBody: (ends) =>
			`Deze link kon worden gebruikt tot ${ends}. Er is niets gewijzigd. Neem contact op met de partner of met partnerondersteuning als u bezwaar wilt maken.`,
		closedTitle: "Er valt niets af te melden",
		closedBody:
			"Deze koppeling wacht niet meer op uw toestemming (ze is ingetrokken, afgewezen of al afgehandeld). Er is niets gewijzigd.",
	},
};

const sv: Texts = {
	hello: (name) => (name ? `Hej ${name},` : "Hej,"),
	footer:
		"Det här är ett automatiskt meddelande från CPOR (Claimed Partner of Record). Det går inte att svara på det.",
	label: {
		claim: "Anspråk",
		claimId: "Anspråks-ID",
		customer: "Kund",
		partner: "Partner",
		products: "Produkter",
		status: "Status",
		respondBy: "Svara senast",
		reviewStartDue: "Granskningen börjar senast",
		consentEnds: "Avanmälan möjlig till",
		disputeUntil: "Bestridande möjligt till",
		reason: "Orsak",
		assessment: "Granskarens bedömning",
		comment: "Granskarens kommentar",
		requestComment: "Kommentar",
		note: "Detaljer",
		dataShared: "Data som partnern ser",
		decision: "Beslut",
		due: "Senast",
	},
	openClaim: "Öppna anspråket",
	generated: {
		noPartnerResponse: (due) =>
			`Partnern besvarade inte informationsbegäran senast ${due}.`,
		arbitrationLost:
			"Skiljeförfarande: en annan partners anspråk för samma kund, produkt och aktivitet godkändes.",
		rejectionRequested: "Partnern bad om att anspråket skulle avslås.",
		customerOptedOut: "Kunden avanmälde sig från den här partnerkopplingen.",
	},
	dataSharedShort:
		"Endast användnings- och licensdata för dessa produkter (aktiva användare per månad, betalda tillgängliga licenser)",
	submitted: {
		subject: (c) => `Anspråk skickat: ${c}`,
		body: (c, customer, due) =>
			`Ditt anspråk "${c}" för ${customer} har skickats.${due ? ` En granskare börjar granska ditt genomförandebevis senast ${due}.` : ""}`,
	},
	informationRequested: {
		subject: (c) => `Åtgärd krävs: mer information behövs för "${c}"`,
		intro: (c) =>
			`En granskare behöver mer information innan ditt anspråk "${c}" kan avgöras:`,
		disputeIntro: (c) =>
			`En granskare behöver mer information innan ditt bestridande av avslaget av "${c}" kan avgöras:`,
		respond: (due) =>
			`Uppdatera anspråket och skicka in det igen senast ${due}. Om du inte svarar i tid avslås anspråket (inget svar från partnern).`,
	},
	approved: {
		subject: (c) => `Anspråk godkänt: ${c}`,
		body: (c, customer) => `Ditt anspråk "${c}" för ${customer} har godkänts.`,
		disputeBody: (c, customer) =>
			`Ditt bestridande har godkänts: ditt anspråk "${c}" för ${customer} är godkänt.`,
		window: (partner, ends) =>
			`Kunden har informerats och kan avanmäla sig till ${ends}. Gör kunden inte det blir ${partner} partner of record för dessa produkter när perioden är slut, och anspråket utvärderas för incitamentsberättigande.`,
	},
	consentNotice: {
		subject: (partner, customer, ends) =>
			`${partner} blir partner of record för ${customer}: avanmäl senast ${ends}`,
		intro: (partner, customer) =>
			`${partner} har godkänts som partner of record för ${customer} för produkterna nedan. Partnern har visat att den hjälpt er organisation att köpa, införa eller använda dem.`,
		data: (partner) =>
			`Det här ser ${partner}: endast användnings- och licensdata för dessa produkter (aktiva användare per månad och betalda tillgängliga licenser, per månad). Partnern ser inga andra data om er organisation.`,
		howToOptOut: (partner, ends) =>
			`Om ni godkänner behöver ni inte göra något. Om ni inte vill att ${partner} ska vara er partner of record för dessa produkter, avanmäl er före ${ends}:`,
		button: "Avanmäl",
		note: (ends) =>
			`Länken kan bara användas för att avanmäla sig från den här kopplingen, och bara till ${ends}. En kundadministratör kan också avanmäla sig i CPOR under Partnerassociationer.`,
	},
	rejected: {
		subject: (c) => `Anspråk avslaget: ${c}`,
		body: (c, customer) => `Ditt anspråk "${c}" för ${customer} har avslagits.`,
		where: "Beslutet och kommentarerna finns på anspråkets sida:",
		dispute: (until) =>
			`Om du inte håller med kan du bestrida avslaget från anspråkets sida (välj "Bestrid") med en affärsmässig motivering och/eller uppdaterat genomförandebevis, senast ${until}. Därefter är endast ett nytt anspråk med uppdaterat bevis möjligt.`,
		noDispute:
			"Avslaget gjordes på din organisations begäran och går inte att bestrida.",
	},
	consentDeclined: {
		subject: (c) => `Kunden har avanmält sig: ${c}`,
		body: (c, customer, partner, products) =>
			`${customer} har avanmält sig från kopplingen med ${partner} för ${products}. Anspråket "${c}" är nu avslaget (kunden avböjde) och ${partner} får ingen åtkomst till kundens data.`,
	},
	disputeDecided: {
		subject: (c) => `Beslut om bestridande: ${c}`,
		body: (d, c) =>
			({
				approve: `Ditt bestridande har godkänts och anspråket "${c}" är nu godkänt. Kunden informeras och kan avanmäla sig.`,
				request_information: `Granskaren behöver mer information innan anspråket "${c}" avgörs; du får ett separat meddelande med detaljer och tidsfrist.`,
				uphold: `Avslaget av anspråket "${c}" står fast. Anspråket förblir avslaget; ett nytt anspråk med uppdaterat genomförandebevis är fortfarande möjligt.`,
			})[d],
		decision: {
			approve: "Bestridandet godkänt",
			request_information: "Mer information behövs",
			uphold: "Avslaget står fast",
		},
	},
	associationActivated: {
		subject: (c) => `Du är nu partner of record: ${c}`,
		body: (partner, customer, products) =>
			`Kundens avanmälningsperiod har löpt ut utan avanmälan. ${partner} är nu partner of record för ${customer} för ${products} och kan se användnings- och licensdata för dessa produkter.`,
		next: "Anspråket har utvärderats för incitamentsberättigande: resultatet per program visas på anspråkets sida.",
	},
	partnerReminder: {
		subject: (c, due) => `Påminnelse: svara senast ${due}: ${c}`,
		body: (c, due) =>
			`Granskaren väntar fortfarande på ditt svar om anspråket "${c}": uppdatera och skicka in anspråket igen senast ${due}, annars avslås det (inget svar från partnern).`,
	},
	reviewerReminder: {
		subject: (c, due) => `Påminnelse: senast ${due}: ${c}`,
		body: (d, c, partner, customer, due) =>
			`För anspråket "${c}" (${partner}, kund ${customer}) löper fristen för ${
				{
					review_start: "start av granskningen",
					decision: "beslutet",
					dispute_decision: "beslutet om tvisten",
				}[d]
			} ut ${due}.`,
	},
	page: {
		title: "Partnerkoppling: avanmälan",
		intro: (partner, customer) =>
			`${partner} har godkänts som partner of record för ${customer} för dessa produkter.`,
		agree: "Om ni godkänner behöver ni inte göra något.",
		button: "Avanmäl från den här kopplingen",
		doneTitle: "Ni har avanmält er",
		doneBody: (partner) =>
			`${partner} blir inte partner of record för dessa produkter och får ingen åtkomst till era data. Vi har informerat partnern.`,
		alreadyTitle: "Ni har redan avanmält er",
		invalidTitle: "Länken är inte giltig",
		invalidBody:
			"Länken kan ha ändrats eller kopierats ofullständigt. Öppna den igen från e-postmeddelandet, exakt som den är. Ingenting har ändrats.",
		signInHint:
			"En kundadministratör kan också hantera kopplingar genom att logga in i CPOR.",
		expiredTitle: "Avanmälningsperioden har löpt ut",
		expiredBody: (ends) =>
			`Länken kunde användas till ${ends}. Ingenting har ändrats. Kontakta partnern eller partnersupporten om ni vill invända.`,
		closedTitle: "Det finns inget att avanmäla",
		closedBody:
			"Kopplingen väntar inte längre på ert samtycke (den har dragits tillbaka, avslagits eller redan avgjorts). Ingenting har ändrats.",
	},
};

const de: Texts = {
	hello: (name) => (name ? `Guten Tag ${name},` : "Guten Tag,"),
	footer:
		"Dies ist eine automatische Nachricht von CPOR (Claimed Partner of Record). Bitte antworten Sie nicht darauf.",
	label: {
		claim: "Anspruch",
		claimId: "Anspruchs-ID",
		customer: "Kunde",
		partner: "Partner",
		products: "Produkte",
		status: "Status",
		respondBy: "Antworten bis",
		reviewStartDue: "Prüfung beginnt spätestens",
		consentEnds: "Abmeldung möglich bis",
		disputeUntil: "Widerspruch möglich bis",
		reason: "Grund",
		assessment: "Einschätzung der Prüfung",
		comment: "Kommentar der Prüfung",
		requestComment: "Kommentar",
		note: "Details",
		dataShared: "Daten, die der Partner sieht",
		decision: "Entscheidung",
		due: "Fällig",
	},
	openClaim: "Anspruch öffnen",
	generated: {
		noPartnerResponse: (due) =>
			`Der Partner hat die Informationsanfrage nicht bis ${due} beantwortet.`,
		arbitrationLost:
			"Schlichtung: Der Anspruch eines anderen Partners für denselben Kunden, dasselbe Produkt und dieselbe Aktivität wurde genehmigt.",
		rejectionRequested:
			"Der Partner hat die Ablehnung dieses Anspruchs beantragt.",
		customerOptedOut:
			"Der Kunde hat sich von dieser Partnerzuordnung abgemeldet.",
	},
	dataSharedShort:
		"Nur Nutzungs- und Lizenzdaten dieser Produkte (monatlich aktive Benutzer, bezahlte verfügbare Lizenzen)",
	submitted: {
		subject: (c) => `Anspruch eingereicht: ${c}`,
		body: (c, customer, due) =>
			`Ihr Anspruch „${c}“ für ${customer} wurde eingereicht.${due ? ` Die Prüfung Ihres Ausführungsnachweises beginnt spätestens am ${due}.` : ""}`,
	},
	informationRequested: {
		subject: (c) => `Aktion erforderlich: weitere Informationen für „${c}“`,
		intro: (c) =>
			`Für die Entscheidung über Ihren Anspruch „${c}“ werden weitere Informationen benötigt:`,
		disputeIntro: (c) =>
			`Für die Entscheidung über Ihren Widerspruch gegen die Ablehnung von „${c}“ werden weitere Informationen benötigt:`,
		respond: (due) =>
			`Bitte aktualisieren Sie den Anspruch und reichen Sie ihn bis ${due} erneut ein. Wenn Sie nicht rechtzeitig antworten, wird der Anspruch abgelehnt (keine Antwort des Partners).`,
	},
	approved: {
		subject: (c) => `Anspruch genehmigt: ${c}`,
		body: (c, customer) =>
			`Ihr Anspruch „${c}“ für ${customer} wurde genehmigt.`,
		disputeBody: (c, customer) =>
			`Ihrem Widerspruch wurde stattgegeben: Ihr Anspruch „${c}“ für ${customer} ist genehmigt.`,
		window: (partner, ends) =>
			`Der Kunde wurde informiert und kann sich bis ${ends} abmelden. Tut er das nicht, wird ${partner} nach Ablauf dieser Frist Partner of Record für diese Produkte, und der Anspruch wird auf Incentive-Berechtigung geprüft.`,
	},
	consentNotice: {
		subject: (partner, customer, ends) =>
			`${partner} wird Partner of Record von ${customer}: Abmeldung bis ${ends}`,
		intro: (partner, customer) =>
			`${partner} wurde als Partner of Record von ${customer} für die unten genannten Produkte genehmigt. Der Partner hat nachgewiesen, dass er Ihre Organisation beim Kauf, bei der Einführung oder bei der Nutzung dieser Produkte unterstützt hat.`,
		data: (partner) =>
			`Was ${partner} sieht: ausschließlich die Nutzungs- und Lizenzdaten dieser Produkte (monatlich aktive Benutzer und bezahlte verfügbare Lizenzen, pro Monat). Andere Daten Ihrer Organisation sieht der Partner nicht.`,
		howToOptOut: (partner, ends) =>
			`Wenn Sie einverstanden sind, müssen Sie nichts tun. Wenn ${partner} nicht Ihr Partner of Record für diese Produkte werden soll, melden Sie sich bis ${ends} ab:`,
		button: "Abmelden",
		note: (ends) =>
			`Dieser Link kann nur zur Abmeldung von dieser Zuordnung verwendet werden, und nur bis ${ends}. Kundenadministratoren können sich auch in CPOR unter „Partnerzuordnungen“ abmelden.`,
	},
	rejected: {
		subject: (c) => `Anspruch abgelehnt: ${c}`,
		body: (c, customer) =>
			`Ihr Anspruch „${c}“ für ${customer} wurde abgelehnt.`,
		where:
			"Die Entscheidung und die Kommentare finden Sie auf der Anspruchsseite:",
		dispute: (until) =>
			`Wenn Sie nicht einverstanden sind, können Sie bis ${until} auf der Anspruchsseite Widerspruch einlegen („Widersprechen“), mit einer geschäftlichen Begründung und/oder einem aktualisierten Ausführungsnachweis. Danach ist nur noch ein neuer Anspruch mit aktualisiertem Nachweis möglich.`,
		noDispute:
			"Die Ablehnung erfolgte auf Wunsch Ihrer Organisation; ein Widerspruch ist nicht möglich.",
	},
	consentDeclined: {
		subject: (c) => `Kunde hat sich abgemeldet: ${c}`,
		body: (c, customer, partner, products) =>
			`${customer} hat sich von der Zuordnung zu ${partner} für ${products} abgemeldet. Der Anspruch „${c}“ ist jetzt abgelehnt (Kunde hat abgelehnt), und ${partner} erhält keinen Zugriff auf die Daten des Kunden.`,
	},
	disputeDecided: {
		subject: (c) => `Entscheidung über Widerspruch: ${c}`,
		body: (d, c) =>
			({
				approve: `Ihrem Widerspruch wurde stattgegeben, und der Anspruch „${c}“ ist jetzt genehmigt. Der Kunde wird informiert und kann sich abmelden.`,
				request_information: `Für die Entscheidung über den Anspruch „${c}“ werden weitere Informationen benötigt; Sie erhalten eine separate Nachricht mit den Einzelheiten und der Frist.`,
				uphold: `Die Ablehnung des Anspruchs „${c}“ bleibt bestehen. Der Anspruch bleibt abgelehnt; ein neuer Anspruch mit aktualisiertem Ausführungsnachweis ist weiterhin möglich.`,
			})[d],
		decision: {
			approve: "Widerspruch stattgegeben",
			request_information: "Weitere Informationen benötigt",
			uphold: "Ablehnung bestätigt",
		},
	},
	associationActivated: {
		subject: (c) => `Sie sind jetzt Partner of Record: ${c}`,
		body: (partner, customer, products) =>
			`Die Abmeldefrist des Kunden ist ohne Abmeldung abgelaufen. ${partner} ist jetzt Partner of Record von ${customer} für ${products} und kann die Nutzungs- und Lizenzdaten dieser Produkte einsehen.`,
		next: "Der Anspruch wurde auf Incentive-Berechtigung geprüft: Das Ergebnis je Programm steht auf der Anspruchsseite.",
	},
	partnerReminder: {
		subject: (c, due) => `Erinnerung: Antwort bis ${due}: ${c}`,
		body: (c, due) =>
			`Die Prüfung wartet noch auf Ihre Antwort zum Anspruch „${c}“: Aktualisieren Sie den Anspruch und reichen Sie ihn bis ${due} erneut ein, sonst wird er abgelehnt (keine Antwort des Partners).`,
	},
	reviewerReminder: {
		subject: (c, due) => `Erinnerung: Frist ${due}: ${c}`,
		body: (d, c, partner, customer, due) =>
			`Beim Anspruch „${c}“ (${partner}, Kunde ${customer}) läuft die Frist für ${
				{
					review_start: "den Beginn der Prüfung",
					decision: "die Entscheidung",
					dispute_decision: "die Entscheidung über den Einspruch",
				}[d]
			} am ${due} ab.`,
	},
	page: {
		title: "Partnerzuordnung: abmelden",
		intro: (partner, customer) =>
			`${partner} wurde als Partner of Record von ${customer} für diese Produkte genehmigt.`,
		agree: "Wenn Sie einverstanden sind, müssen Sie nichts tun.",
		button: "Von dieser Zuordnung abmelden",
		doneTitle: "Sie haben sich abgemeldet",
		doneBody: (partner) =>
			`${partner} wird nicht Partner of Record für diese Produkte und erhält keinen Zugriff auf Ihre Daten. Wir haben den Partner informiert.`,
		alreadyTitle: "Sie haben sich bereits abgemeldet",
		invalidTitle: "Dieser Link ist ungültig",
		invalidBody:
			"Der Link wurde möglicherweise verändert oder unvollständig kopiert. Öffnen Sie ihn erneut aus der E-Mail, genau so, wie er ist. Es wurde nichts geändert.",
		signInHint:
			"Kundenadministratoren können Zuordnungen auch nach der Anmeldung bei CPOR verwalten.",
		expiredTitle: "Die Abmeldefrist ist abgelaufen",
		expiredBody: (ends) =>
			`Dieser Link war bis ${ends} gültig. Es wurde nichts geändert. Wenden Sie sich an den Partner oder den Partner-Support, wenn Sie widersprechen möchten.`,
		closedTitle: "Es gibt nichts abzumelden",
		closedBody:
			"Diese Zuordnung wartet nicht mehr auf Ihre Zustimmung (sie wurde zurückgezogen, abgelehnt oder bereits entschieden). Es wurde nichts geändert.",
	},
};

/** The texts of each language. */
export const TEXTS: Record<Locale, Texts> = { en, nl, sv, de };
